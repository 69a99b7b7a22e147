// Request handlers of the order service.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { tracer } from './tracing.mjs';

export const requestContext = new AsyncLocalStorage();

async function recordAudit(orderId) {
  await new Promise((resolve) => setTimeout(resolve, 30));
  await tracer.startActiveSpan('audit', async (span) => {
    span.setAttribute('order.id', orderId);
    span.end();
  });
}

async function findOrder(id) {
  if (id === 'locked') throw new Error('order is locked');
  return { id, total: 42 };
}

// Mistake (no-leaked-context): enterWith() never leaves the store; the caller's following code and
// timers see this request's user.
export function withUser(request, next) {
  requestContext.enterWith({ user: request.headers['x-user'] ?? 'anonymous' });
  return next();
}

export function getOrder(id) {
  return tracer.startActiveSpan('GET /orders/:id', async (span) => {
    // Mistake (no-blocking-in-span): the whole service stops while this file is read.
    const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8'));
    // Mistake (no-untracked-task): the audit outlives the request span.
    recordAudit(id);
    span.setAttribute('order.id', id);
    span.end();
    return { id, prices };
  });
}

export async function loadOrder(id) {
  const span = tracer.startSpan('load order');
  // Mistake (no-leaked-context): when findOrder throws, span.end() never runs.
  const order = await findOrder(id);
  span.end();
  return order;
}
