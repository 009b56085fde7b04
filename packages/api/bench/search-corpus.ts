// A practice's records for the search benchmark: session notes, emails and calendar sessions
// of a wellness practice, from a seeded generator (the same corpus every run).
import { FIRST_NAMES, LAST_NAMES } from "./names.ts";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONCERNS = [
  "knee pain after long runs",
  "lower back stiffness in the mornings",
  "trouble falling asleep and waking at 4am",
  "tight hamstrings from sitting all day",
  "shoulder mobility after the surgery",
  "stress and anxiety about work deadlines",
  "low energy in the afternoons",
  "digestive discomfort after meals",
  "plantar fasciitis flaring up",
  "neck tension from screen work",
  "recovering from a sprained ankle",
  "pelvic floor weakness after pregnancy",
  "headaches on training days",
  "cravings for sugar in the evening",
  "breathing feels shallow when anxious",
  "hip flexors tight after cycling",
  "wrist pain in downward dog",
  "postural habits at the desk",
  "burnout and poor motivation",
  "blood pressure a little high at the checkup",
];

const WORK = [
  "we worked on hip mobility and glute activation",
  "we practised diaphragmatic breathing for ten minutes",
  "we did a gentle restorative yoga sequence",
  "we reviewed the food diary and meal timing",
  "we progressed the strength plan to three sets",
  "we tried box breathing and a body scan",
  "we focused on core stability and balance",
  "we stretched the posterior chain and calves",
  "we discussed a wind-down routine before bed",
  "we adjusted protein intake around training",
  "we introduced mindfulness journaling",
  "we worked on alignment in warrior two",
];

const PLANS = [
  "Homework: foam rolling every evening.",
  "Next time: reassess range of motion.",
  "She will track sleep for two weeks.",
  "He agreed to walk 8,000 steps a day.",
  "Plan: add one mobility session a week.",
  "Referred to a physiotherapist for imaging.",
  "Follow up on the magnesium supplement.",
  "Keep caffeine before noon only.",
  "Book a check-in call in a fortnight.",
  "Try the 20-minute yoga nidra recording.",
];

const MOODS = [
  "Mood was upbeat.",
  "Seemed tired but motivated.",
  "Reported feeling calmer this week.",
  "Frustrated with slow progress.",
  "Very positive about the changes.",
  "",
];

const EMAIL_SUBJECTS = [
  [
    "Invoice for {month}",
    "Please find attached the invoice for the {n} sessions in {month}. Payment by bank transfer is fine.",
  ],
  [
    "Rescheduling Thursday",
    "Could we move Thursday's session to Friday morning? Work has been hectic this week.",
  ],
  [
    "Question about my meal plan",
    "Is it okay to swap the oats for eggs at breakfast? I feel hungry by ten.",
  ],
  ["Thank you!", "Just wanted to say thank you, my {concern} is so much better since we started."],
  ["Cancellation", "I'm sorry but I need to cancel tomorrow, my daughter is sick."],
  ["Exercises", "Could you send the video of the exercises again? I lost the link."],
  ["Re: progress update", "This week I managed all the homework and my {concern} improved."],
  ["Payment received", "Thanks, the payment for {month} arrived. See you next week."],
  ["New class times", "The studio schedule for {month}: Tuesday and Thursday evening classes."],
  ["Booking a package", "I'd like to book the ten-session package, do you offer a discount?"],
] as const;

const SESSION_TITLES = [
  "Initial consultation",
  "Follow-up session",
  "Vinyasa flow class",
  "Restorative yoga",
  "Nutrition review",
  "Strength and mobility",
  "Breathwork session",
  "Pilates reformer",
  "Discovery call",
  "Monthly check-in",
];

const LOCATIONS = [
  "Studio 2",
  "Online (video call)",
  "Main studio",
  "Client's home",
  "Park by the river",
];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export interface CorpusContact {
  name: string;
  nameSort: string;
  email: string;
}

export interface CorpusNote {
  contact: number;
  body: string;
}

export interface CorpusInteraction {
  contact: number;
  kind: "email" | "session";
  subject: string;
  snippet: string;
  location: string | null;
  daysAgo: number;
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

export function generateCorpus(
  seed: number,
  counts: { contacts: number; notes: number; interactions: number },
) {
  const random = mulberry32(seed);
  const contacts: CorpusContact[] = [];
  for (let i = 0; i < counts.contacts; i++) {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    const name = `${first} ${last}`;
    contacts.push({
      name,
      nameSort: name.toLowerCase(),
      email: `${first}.${last}.${seed}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ""),
    });
  }
  const notes: CorpusNote[] = [];
  for (let i = 0; i < counts.notes; i++) {
    const concern = pick(random, CONCERNS);
    const body = [
      `Session ${1 + Math.floor(random() * 30)}: ${concern}`,
      `Client mentioned ${pick(random, CONCERNS)}; ${pick(random, WORK)}.`,
      `${pick(random, WORK).replace(/^we/, "Then we")}. ${pick(random, PLANS)} ${pick(random, MOODS)}`.trim(),
    ].join("\n");
    notes.push({ contact: Math.floor(random() * counts.contacts), body });
  }
  const interactions: CorpusInteraction[] = [];
  for (let i = 0; i < counts.interactions; i++) {
    const contact = Math.floor(random() * counts.contacts);
    if (random() < 0.6) {
      const [subject, snippet] = pick(random, EMAIL_SUBJECTS);
      const fill = (text: string) =>
        text
          .replace("{month}", pick(random, MONTHS))
          .replace("{n}", String(2 + Math.floor(random() * 6)))
          .replace("{concern}", pick(random, CONCERNS));
      interactions.push({
        contact,
        kind: "email",
        subject: fill(subject),
        snippet: fill(snippet),
        location: null,
        daysAgo: random() * 700,
      });
    } else {
      const title = pick(random, SESSION_TITLES);
      interactions.push({
        contact,
        kind: "session",
        subject: `${title} with ${contacts[contact]!.name.split(" ")[0]}`,
        snippet: random() < 0.5 ? `Focus: ${pick(random, CONCERNS)}` : "",
        location: pick(random, LOCATIONS),
        daysAgo: random() * 700 - 30,
      });
    }
  }
  return { contacts, notes, interactions };
}

/** What a practitioner types into the search box: words, phrases, names, and questions. */
export const BENCH_QUERIES = [
  "knee pain",
  "invoice",
  "sleep",
  "trouble sleeping",
  "anxiety",
  "lower back",
  "hamstrings",
  "yoga",
  "restorative yoga class",
  "client who hurt her ankle",
  "wants to reschedule",
  "payment for March",
  "meal plan breakfast",
  "breathing exercises for stress",
  "shoulder surgery recovery",
  "plantar fasciitis",
  "burnout",
  "session",
  "tired after work",
  "foam rolling homework",
  "blood pressure",
  "pilates",
  "discount on a package",
  "neck tension from screens",
];
