"""A small traced asyncio order service: a queue consumer, an HTTP client and a background audit.

It contains, on purpose, each mistake otel-async reports. Run `npx eslint examples` from the
repository root to see them.
"""
import asyncio
import json
import time

import requests
from opentelemetry import context, trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer(__name__)

PRICING_URL = "http://pricing.internal/quote"


async def fetch_price(sku: str) -> float:
    # Blocking HTTP call on the event loop: every open span stretches while it waits.
    response = requests.get(PRICING_URL, params={"sku": sku}, timeout=5)
    return response.json()["price"]


async def audit(order_id: str) -> None:
    with tracer.start_as_current_span("audit") as span:
        span.set_attribute("order.id", order_id)
        await asyncio.sleep(0.2)


async def handle_order(message: dict) -> None:
    with tracer.start_as_current_span("handle_order") as span:
        span.set_attribute("order.id", message["id"])
        price = await fetch_price(message["sku"])
        # A retry back-off that blocks the loop.
        if price <= 0:
            time.sleep(0.5)
        # Fire-and-forget: nothing keeps the task alive, and its span outlives "handle_order".
        asyncio.create_task(audit(message["id"]))


async def consume(queue: asyncio.Queue) -> None:
    while True:
        raw = await queue.get()
        message = json.loads(raw)
        # Manual context handling without a finally: an exception leaks this context into the
        # next message.
        token = context.attach(trace.set_span_in_context(trace.get_current_span()))
        await handle_order(message)
        context.detach(token)


async def main() -> None:
    queue: asyncio.Queue = asyncio.Queue()
    for number in range(3):
        queue.put_nowait(json.dumps({"id": f"order-{number}", "sku": "sku-1"}))
    await consume(queue)


if __name__ == "__main__":
    # Stopped by SIGTERM in production: the spans still queued in the BatchSpanProcessor are lost.
    asyncio.run(main())
