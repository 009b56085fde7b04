import type { Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { upcomingSessions, type UpcomingSession } from "../sync/interactions.ts";

/** Active clients not seen for longer than this are flagged when they have no rhythm yet. */
export const DEFAULT_ATTENTION_DAYS = 30;

export interface HomeOverview {
  stageCounts: { stage: string; count: number }[];
  overdueTasks: {
    id: string;
    title: string;
    dueAt: Date;
    contact: { id: string; name: string } | null;
  }[];
  needsAttention: {
    id: string;
    name: string;
    lastInteractionAt: Date | null;
    usualIntervalDays: number;
    reason: string;
  }[];
  recent: { id: string; name: string; createdAt: Date }[];
  /** The next sessions from the synced calendar, soonest first. */
  upcoming: UpcomingSession[];
}

/**
 * What the practitioner should see first: counts by stage, overdue tasks, active clients not
 * contacted for longer than their usual interval, and the newest contacts.
 */
export async function homeOverview(db: Db, actor: Actor, now = new Date()): Promise<HomeOverview> {
  const live = { userId: actor.userId, deletedAt: null };
  const [stageGroups, overdue, recent, attention, upcoming] = await Promise.all([
    db.contact.groupBy({
      by: ["stage"],
      where: live,
      _count: { _all: true },
      orderBy: { stage: "asc" },
    }),
    db.task.findMany({
      where: {
        userId: actor.userId,
        completedAt: null,
        dueAt: { lt: now },
        OR: [{ contactId: null }, { contact: { deletedAt: null } }],
      },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: 10,
      select: { id: true, title: true, dueAt: true, contact: { select: { id: true, name: true } } },
    }),
    db.contact.findMany({
      where: live,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 5,
      select: { id: true, name: true, createdAt: true },
    }),
    // The usual interval of a client is the mean gap between their recorded interactions;
    // without two of them, the default applies.
    db.$queryRaw<
      { id: string; name: string; last_interaction_at: Date | null; interval_days: number }[]
    >`
      WITH rhythm AS (
        SELECT e.contact_id,
               EXTRACT(EPOCH FROM (max(e.occurred_at) - min(e.occurred_at))) / 86400 / NULLIF(count(*) - 1, 0) AS days
        FROM timeline_events e
        WHERE e.user_id = ${actor.userId}::uuid AND e.occurred_at <= ${now}::timestamptz
          AND (e.kind IN ('email.received', 'email.sent', 'session') OR e.kind LIKE 'interaction.%')
        GROUP BY e.contact_id
      )
      SELECT c.id, c.name, c.last_interaction_at,
             GREATEST(1, COALESCE(r.days, ${DEFAULT_ATTENTION_DAYS}))::float8 AS interval_days
      FROM contacts c
      LEFT JOIN rhythm r ON r.contact_id = c.id
      WHERE c.user_id = ${actor.userId}::uuid AND c.deleted_at IS NULL AND c.stage = 'active'
        AND (c.last_interaction_at IS NULL
             OR c.last_interaction_at < ${now}::timestamptz
                - make_interval(secs => GREATEST(1, COALESCE(r.days, ${DEFAULT_ATTENTION_DAYS})) * 86400 * 1.5))
      ORDER BY c.last_interaction_at ASC NULLS FIRST, c.id
      LIMIT 10`,
    upcomingSessions(db, actor, { limit: 5, now }),
  ]);
  return {
    stageCounts: stageGroups.map((g) => ({ stage: g.stage, count: g._count._all })),
    overdueTasks: overdue.map((t) => ({
      id: t.id,
      title: t.title,
      dueAt: t.dueAt!,
      contact: t.contact,
    })),
    needsAttention: attention.map((c) => {
      const usual = Math.round(c.interval_days);
      return {
        id: c.id,
        name: c.name,
        lastInteractionAt: c.last_interaction_at,
        usualIntervalDays: usual,
        reason: c.last_interaction_at
          ? `No contact for ${Math.floor((now.getTime() - c.last_interaction_at.getTime()) / 86_400_000)} days (usually every ${usual})`
          : "Active client with no recorded contact yet",
      };
    }),
    recent,
    upcoming,
  };
}
