#!/usr/bin/python3
# MQTT over WebSocket for the capture tests, framed by python3-websockets (Debian), so
# that mosquitto and its TCP-only clients can talk across a WebSocket hop that tcpdump
# records:  mosquitto_sub -> client bridge (TCP in, WebSocket out) -> server bridge
# (WebSocket in, TCP out) -> mosquitto.
#
#   ws_bridge.py server LISTEN_PORT BROKER_PORT [--select NAME] [--text-first]
#   ws_bridge.py client LISTEN_PORT WS_PORT [--offer NAME,...] [--split N]
#
# --select: the subprotocol the server accepts (default "mqtt"); --offer: those the
# client offers (default "mqtt"); --split N: each chunk of TCP bytes goes out as one
# fragmented message of frames of at most N bytes (an MQTT packet across frames);
# --text-first: the server's first message goes in a text frame (the MQTT 3.1.1
# CONNACK is ASCII). Chunks otherwise go out as read, so a frame may hold several
# packets. Prints "ready" once listening.
import argparse
import asyncio

import websockets


async def pump_tcp_to_ws(reader, ws, split):
    while data := await reader.read(65536):
        if split:
            await ws.send([data[i:i + split] for i in range(0, len(data), split)])
        else:
            await ws.send(data)
    await ws.close()


async def pump_ws_to_tcp(ws, writer):
    try:
        async for message in ws:
            writer.write(message if isinstance(message, bytes) else message.encode("latin-1"))
            await writer.drain()
    except websockets.ConnectionClosed:
        pass
    writer.close()


async def server(args):
    async def handle(ws, *_):
        reader, writer = await asyncio.open_connection("127.0.0.1", args.target)
        first = True

        async def to_client():
            nonlocal first
            while data := await reader.read(65536):
                if first and args.text_first:
                    await ws.send(data.decode("latin-1"))
                else:
                    await ws.send(data)
                first = False
            await ws.close()

        await asyncio.gather(to_client(), pump_ws_to_tcp(ws, writer))

    async with websockets.serve(handle, "127.0.0.1", args.listen, subprotocols=[args.select], compression=None):
        print("ready", flush=True)
        await asyncio.Future()


async def client(args):
    offers = [o for o in args.offer.split(",") if o]

    async def handle(reader, writer):
        async with websockets.connect(f"ws://127.0.0.1:{args.target}/mqtt", subprotocols=offers or None,
                                      compression=None) as ws:
            await asyncio.gather(pump_tcp_to_ws(reader, ws, args.split), pump_ws_to_tcp(ws, writer))

    srv = await asyncio.start_server(handle, "127.0.0.1", args.listen)
    async with srv:
        print("ready", flush=True)
        await srv.serve_forever()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("listen", type=int)
    p.add_argument("target", type=int)
    p.add_argument("--select", default="mqtt")
    p.add_argument("--offer", default="mqtt")
    p.add_argument("--split", type=int, default=0)
    p.add_argument("--text-first", action="store_true")
    args = p.parse_args()
    asyncio.run(server(args) if args.role == "server" else client(args))


if __name__ == "__main__":
    main()
