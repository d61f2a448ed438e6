// SPDX-License-Identifier: Apache-2.0
// Public surface of task-based collaboration (任务化协同): one task model for governance work and plan steps.
export {
  actOnTask, cancelTasksOfSource, createTask, createTasksIn, getTask, listTasks, presentTask, routeToDepartment, startTaskSupervision, sweepOverdueTasks,
  sweepReminders, type TaskSpec, tasksOfPolicy, tasksOfSource,
} from './tasks.service.ts';
export { taskRoutes } from './tasks.routes.ts';
export { policiesOfTasks, policyTaskStats, taskCounts, type TaskMeasure, taskMeasureSql } from './tasks.measure.ts';
export { addEvidenceFile, award, bid, evidenceFile, listBids, listMarket, publishServiceTask, withdrawBid, withdrawOffer } from './service-tasks.service.ts';
