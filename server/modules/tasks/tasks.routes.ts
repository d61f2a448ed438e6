// SPDX-License-Identifier: Apache-2.0
// HTTP routes of tasks: create (by hand or routed), list, one with its history, actions.
import { z } from 'zod';
import { page } from '../../../contracts/common.ts';
import { Task, TaskAction, TaskDetail, TaskInput, TaskQuery } from '../../../contracts/tasks.ts';
import type { App } from '../../api/types.ts';
import type { Deps } from '../../platform/deps.ts';
import * as tasks from './tasks.service.ts';

const tags = ['tasks'];
const IdParams = z.object({ id: z.string().uuid() });

export function taskRoutes(app: App, deps: Deps): void {
  app.get('/api/tasks', {
    schema: {
      tags, summary: 'Tasks you see (your scope, your organization, your own), filtered by status, kind, region, organization, incident, source, deadline and text',
      querystring: TaskQuery, response: { 200: page(Task) },
    },
  }, (req) => tasks.listTasks(deps, req.ctx, req.query));

  app.post('/api/tasks', {
    schema: {
      tags, summary: 'Create a task for an organization, or routed to the responsible department of a type in the region of a location',
      body: TaskInput, response: { 201: TaskDetail },
    },
  }, async (req, reply) => reply.code(201).send(await tasks.createTask(deps, req.ctx, req.body)));

  app.get('/api/tasks/:id', {
    schema: { tags, summary: 'One task with its evidence, history, subtasks and the actions you may take', params: IdParams, response: { 200: TaskDetail } },
  }, (req) => tasks.getTask(deps, req.ctx, req.params.id));

  app.post('/api/tasks/:id/actions', {
    schema: {
      tags, summary: 'Act on a task: accept, start, submit (with evidence), approve, return, reassign, delegate, cancel, comment (409 when its status does not allow it)',
      params: IdParams, body: TaskAction, response: { 200: TaskDetail },
    },
  }, (req) => tasks.actOnTask(deps, req.ctx, req.params.id, req.body));
}
