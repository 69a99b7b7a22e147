// A small traced order service on node:http.
import { createServer } from 'node:http';
import { getOrder, loadOrder, withUser } from './orders.mjs';

const server = createServer((request, response) => {
  withUser(request, async () => {
    try {
      const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id') ?? '1';
      const order = request.url?.startsWith('/load') ? await loadOrder(id) : await getOrder(id);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(order));
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
});

server.listen(Number(process.env.PORT ?? 8080));
