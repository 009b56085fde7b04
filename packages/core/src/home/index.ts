export { homeOverview, DEFAULT_ATTENTION_DAYS, type HomeOverview } from "./service.ts";
