import { CalendarStore } from "./calendar-store.ts";
import { generateCalendar } from "./calendar-generator.ts";
import type { Clock } from "./clock.ts";
import { generateMessages } from "./generator.ts";
import { Mailbox } from "./mailbox.ts";
import { buildPractice, type Practice } from "./practice.ts";
import { Prng, type Seed } from "./prng.ts";

export interface AccountSpec {
  email: string;
  /** Display name (userinfo, From headers). Defaults to one derived from the address. */
  name?: string;
  /** Defaults to `${serverSeed}:${email}`. */
  seed?: Seed;
  /** Generated messages. Defaults to the server's `messages`. */
  messages?: number;
  /** Generated primary-calendar events (a series counts once). Defaults to the server's `events`. */
  events?: number;
  /** The practice's (and primary calendar's) time zone. Default America/Los_Angeles. */
  timeZone?: string;
  /** How many days back generated mail goes. Default 365. */
  days?: number;
}

export interface AccountDefaults {
  seed: Seed;
  clock: Clock;
  anchor: number;
  messages: number;
  events: number;
}

/** One Google account: identity plus its mailbox and calendars. */
export class Account {
  readonly email: string;
  readonly name: string;
  /** The stable numeric Google account id (`sub`). */
  readonly sub: string;
  readonly timeZone: string;
  readonly practice: Practice;
  readonly mailbox: Mailbox;
  readonly calendar: CalendarStore;

  constructor(spec: AccountSpec, defaults: AccountDefaults) {
    this.email = spec.email;
    const local = spec.email.split("@")[0] ?? spec.email;
    this.name =
      spec.name ??
      local
        .split(/[._-]+/)
        .filter(Boolean)
        .map((w) => w[0]?.toUpperCase() + w.slice(1))
        .join(" ");
    const seed = spec.seed ?? `${defaults.seed}:${spec.email.toLowerCase()}`;
    const idPrng = new Prng(`${spec.email.toLowerCase()}/sub`);
    this.sub = `1${Array.from({ length: 20 }, () => idPrng.int(0, 9)).join("")}`;
    this.timeZone = spec.timeZone ?? "America/Los_Angeles";
    this.practice = buildPractice(
      seed,
      { name: this.name, email: this.email },
      { timeZone: this.timeZone },
    );
    this.mailbox = new Mailbox({
      email: this.email,
      clock: defaults.clock,
      seed,
      practice: this.practice,
    });
    this.mailbox.load(
      generateMessages({
        seed,
        practice: this.practice,
        email: this.email,
        count: spec.messages ?? defaults.messages,
        anchor: defaults.anchor,
        ...(spec.days ? { days: spec.days } : {}),
      }),
    );
    this.calendar = new CalendarStore({
      email: this.email,
      ownerName: this.name,
      clock: defaults.clock,
      seed,
      timeZone: this.timeZone,
    });
    generateCalendar({
      seed,
      practice: this.practice,
      store: this.calendar,
      count: spec.events ?? defaults.events,
      anchor: defaults.anchor,
    });
  }
}

export class AccountRegistry {
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly defaults: AccountDefaults) {}

  add(spec: AccountSpec): Account {
    const key = spec.email.toLowerCase();
    if (this.accounts.has(key)) throw new Error(`Account ${spec.email} already exists`);
    const account = new Account(spec, this.defaults);
    this.accounts.set(key, account);
    return account;
  }

  get(email: string): Account | undefined {
    return this.accounts.get(email.toLowerCase());
  }

  require(email: string): Account {
    const account = this.get(email);
    if (!account) throw new Error(`No account ${email}`);
    return account;
  }

  list(): Account[] {
    return [...this.accounts.values()];
  }

  get first(): Account | undefined {
    return this.accounts.values().next().value;
  }
}
