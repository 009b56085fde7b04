import type { Address } from "./mime.ts";
import { Prng, type Seed } from "./prng.ts";

/**
 * The cast of a generated wellness practice: the practitioner, their clients, colleagues,
 * newsletters and automated senders. Shared by the mail and calendar generators so the
 * same people show up in both.
 */
export interface Practice {
  owner: Address;
  practiceName: string;
  clients: Address[];
  colleagues: Address[];
  newsletters: Newsletter[];
  automated: AutomatedSender[];
  timeZone: string;
}

export interface Newsletter {
  from: Address;
  listId: string;
  subjects: readonly string[];
  category: "CATEGORY_PROMOTIONS" | "CATEGORY_UPDATES" | "CATEGORY_FORUMS";
}

export interface AutomatedSender {
  from: Address;
  replyTo?: "client";
  subjects: readonly string[];
  category: "CATEGORY_UPDATES" | "CATEGORY_PERSONAL";
}

const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Ava",
  "Ethan",
  "Sophia",
  "Mason",
  "Isabella",
  "Lucas",
  "Mia",
  "Aiden",
  "Harper",
  "Elijah",
  "Amelia",
  "James",
  "Evelyn",
  "Benjamin",
  "Abigail",
  "Logan",
  "Priya",
  "Arjun",
  "Mei",
  "Hiroshi",
  "Fatima",
  "Omar",
  "Grace",
  "Daniel",
  "Chloe",
  "Samuel",
  "Hannah",
  "David",
  "Leah",
  "Jacob",
  "Nora",
  "Gabriel",
  "Ruth",
  "Kwame",
  "Ama",
  "Diego",
];

const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Martinez",
  "Lopez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Thompson",
  "White",
  "Patel",
  "Nguyen",
  "Kim",
  "Chen",
  "Okafor",
  "Haddad",
  "O'Brien",
  "Kowalski",
  "Rossi",
  "Silva",
];

/** Names that need RFC 2047 encoding in headers. */
const NON_ASCII_NAMES = [
  "Zoë Müller",
  "José Álvarez",
  "Anaïs Dubois",
  "Søren Ødegaard",
  "Björn Åström",
  "Chloé Lefèvre",
  "Łukasz Wąsik",
  "Renée Côté",
  "Iñaki Etxeberria",
  "李娜",
  "Đặng Thu Hà",
  "Noémie Rousseau",
];

const MAIL_DOMAINS = [
  "gmail.example",
  "yahoo.example",
  "outlook.example",
  "icloud.example",
  "proton.example",
  "fastmail.example",
  "hey.example",
];

const NEWSLETTERS: readonly Omit<Newsletter, "listId">[] = [
  {
    from: { name: "Mindful Monthly", email: "hello@mindfulmonthly.example" },
    subjects: [
      "5 breathing practices for winter",
      "Your monthly mindfulness digest",
      "New: guided body-scan series",
    ],
    category: "CATEGORY_PROMOTIONS",
  },
  {
    from: { name: "Wellness Business Weekly", email: "newsletter@wellnessbiz.example" },
    subjects: [
      "How to price your packages in 2025",
      "Client retention: what works",
      "The no-show problem, solved",
    ],
    category: "CATEGORY_UPDATES",
  },
  {
    from: { name: "Yoga Alliance Community", email: "community@yogaalliance.example" },
    subjects: [
      "Continuing education credits reminder",
      "Forum highlights this week",
      "Teacher spotlight",
    ],
    category: "CATEGORY_FORUMS",
  },
  {
    from: { name: "Green Leaf Supplies", email: "deals@greenleafsupplies.example" },
    subjects: [
      "20% off massage oils this weekend",
      "Restock: bolsters & blocks",
      "Your cart misses you",
    ],
    category: "CATEGORY_PROMOTIONS",
  },
];

const AUTOMATED: readonly AutomatedSender[] = [
  {
    from: { name: "BookWell Scheduling", email: "no-reply@bookwell.example" },
    replyTo: "client",
    subjects: ["New booking: {client}", "Booking cancelled: {client}", "Rescheduled: {client}"],
    category: "CATEGORY_UPDATES",
  },
  {
    from: { name: "PayStream", email: "noreply@paystream.example" },
    subjects: [
      "Payment received from {client}",
      "Your weekly payout is on its way",
      "Receipt #{n}",
    ],
    category: "CATEGORY_UPDATES",
  },
  {
    from: { email: "donotreply@insurance-claims.example" },
    subjects: ["Claim {n} status update", "Action required: claim {n}"],
    category: "CATEGORY_UPDATES",
  },
];

export const DEFAULT_OWNER: Required<Pick<Address, "name" | "email">> = {
  name: "Maya Rivers",
  email: "maya@serenity-wellness.example",
};

export function buildPractice(
  seed: Seed,
  owner: Address,
  options: { clients?: number; timeZone?: string } = {},
): Practice {
  const prng = new Prng(`${seed}/practice`);
  const clientCount = options.clients ?? 60;
  const clients: Address[] = [];
  const used = new Set<string>();
  // a few awkward names up front so small mailboxes still have them
  for (const name of NON_ASCII_NAMES) {
    if (clients.length >= Math.min(clientCount, NON_ASCII_NAMES.length)) break;
    const local = name
      .normalize("NFD")
      .replace(/[^\x20-\x7e]/g, "")
      .toLowerCase()
      .replace(/[^a-z]+/g, ".")
      .replace(/^\.|\.$/g, "");
    const email = `${local || `client${clients.length}`}@${prng.pick(MAIL_DOMAINS)}`;
    used.add(email);
    clients.push({ name, email, encoding: clients.length % 3 === 1 ? "Q" : "B" });
  }
  while (clients.length < clientCount) {
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    let email =
      `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "") + `@${prng.pick(MAIL_DOMAINS)}`;
    if (used.has(email)) email = email.replace("@", `${prng.int(2, 99)}@`);
    if (used.has(email)) continue;
    used.add(email);
    const style = prng.int(0, 9);
    // most with a display name, some "Last, First", some bare addresses
    const name = style === 0 ? undefined : style === 1 ? `${last}, ${first}` : `${first} ${last}`;
    clients.push(name ? { name, email } : { email });
  }
  const domain = owner.email.split("@")[1] ?? "practice.example";
  const colleagues: Address[] = [
    { name: "Sam Ortega", email: `sam@${domain}` },
    { name: "Front Desk", email: `frontdesk@${domain}` },
    { name: "Dr. Lena Park", email: "lena.park@integrative-health.example" },
  ];
  return {
    owner,
    practiceName: "Serenity Wellness Studio",
    clients,
    colleagues,
    newsletters: NEWSLETTERS.map((n) => ({
      ...n,
      listId: `<${n.from.email.replace("@", ".")}>`,
    })),
    automated: [...AUTOMATED],
    timeZone: options.timeZone ?? "America/Los_Angeles",
  };
}

export const CLIENT_SUBJECTS = [
  "Rescheduling Thursday's session",
  "Question about my treatment plan",
  "Intake form",
  "Thank you!",
  "Running 10 minutes late",
  "Can I bring my partner next time?",
  "Insurance receipt for last month",
  "Follow-up after our session",
  "Feeling much better this week",
  "Cancel tomorrow's appointment?",
  "Gift certificate for my mom",
  "Sore after the deep tissue work — normal?",
] as const;

export const OWNER_SUBJECTS = [
  "Your session on {day}",
  "Home practice notes",
  "Reminder: please complete the intake form",
  "Receipt for your visit",
  "Checking in",
  "Updated availability",
] as const;

export const CLIENT_BODIES = [
  "Hi {owner},\n\nWould it be possible to move our session to later in the week? Something came up at work.\n\nThanks so much,\n{client}",
  "Hello,\n\nI wanted to ask about the exercises you showed me — should I be doing them daily or every other day?\n\nBest,\n{client}",
  "Hi!\n\nAttached is my intake form. Let me know if anything is missing. I'm a bit nervous about the first visit but excited too.\n\n{client}",
  "Just wanted to say thank you for yesterday. My shoulder feels so much looser & I slept through the night for the first time in weeks.\n\n— {client}",
  "Hey {owner}, I'm stuck in traffic, will be there in ~10 min. Sorry!!\n\nSent from my phone",
  "Hi {owner},\n\nMy insurance needs an itemized receipt with your NPI number. Could you send one for the last three visits?\n\nThank you,\n{client}",
] as const;

export const OWNER_BODIES = [
  "Hi {client},\n\nThanks for reaching out. {day} at 3pm works on my end — I've updated the booking.\n\nWarmly,\n{owner}\n{practice}",
  "Hi {client},\n\nAs promised, here are your home practice notes:\n\n1. Cat-cow, 10 slow rounds\n2. Supported bridge, 2 minutes\n3. Legs up the wall before bed\n\nSee you next week,\n{owner}",
  "Hello {client},\n\nA gentle reminder to fill in the intake form before your first visit so we can make the most of our time together.\n\n{owner}",
  "Hi {client},\n\nJust checking in to see how you're feeling after Tuesday. Any soreness should settle within 48 hours — drink plenty of water.\n\nBest,\n{owner}",
] as const;

export const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];
