export {
  contactTimeline,
  recordTimelineEvent,
  timelineEventInputSchema,
  type TimelineEventInput,
  type TimelineEventRecord,
  type TimelinePage,
} from "./service.ts";
export * from "./schemas.ts";
