export {
  listTasks,
  createTask,
  updateTask,
  completeTask,
  reopenTask,
  deleteTask,
  type TaskRecord,
  type TaskPage,
  type Clock,
} from "./service.ts";
export * from "./schemas.ts";
