export { listViews, createView, updateView, deleteView, type SavedViewRecord } from "./service.ts";
export * from "./schemas.ts";
