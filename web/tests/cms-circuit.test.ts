// @vitest-environment node
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { describe, expect, it } from "vitest";

import { CircuitOpenError, CmsFailure, circuitSettings, createCircuit } from "@/lib/cms-circuit";
import { answerCmsOutagesWith503 } from "@/lib/outage-status";

describe("circuit settings", () => {
  it("default when unset and read each variable", () => {
    expect(circuitSettings({})).toEqual(
      { errorPercent: 25, volumeThreshold: 10, windowMs: 10_000, resetMs: 10_000 });
    expect(circuitSettings({ CMS_CIRCUIT_ERROR_PERCENT: "25", CMS_CIRCUIT_VOLUME_THRESHOLD: "3",
      CMS_CIRCUIT_WINDOW_MS: "5000", CMS_CIRCUIT_RESET_MS: " 2000 " })).toEqual(
      { errorPercent: 25, volumeThreshold: 3, windowMs: 5000, resetMs: 2000 });
  });

  it.each([["CMS_CIRCUIT_ERROR_PERCENT", "0"], ["CMS_CIRCUIT_ERROR_PERCENT", "101"],
    ["CMS_CIRCUIT_VOLUME_THRESHOLD", "-1"], ["CMS_CIRCUIT_RESET_MS", "1e4"],
    ["CMS_CIRCUIT_WINDOW_MS", "soon"]])("refuse %s=%s, naming it", (name, value) => {
    expect(() => circuitSettings({ [name]: value })).toThrow(new RegExp(`^${name} must be a whole number`));
  });
});

describe("circuit", () => {
  const settings = { errorPercent: 50, volumeThreshold: 3, windowMs: 10_000, resetMs: 100 };

  it("opens after failures, stops calling, half-opens and closes on a success", async () => {
    const circuit = createCircuit(settings);
    let calls = 0;
    const down = async (): Promise<Response> => { calls += 1; throw new TypeError("fetch failed"); };
    for (let n = 0; n < 3; n += 1) await expect(circuit.fire(down)).rejects.toBeInstanceOf(CmsFailure);
    expect(circuit.breaker.opened).toBe(true);
    expect(circuit.unavailableFor()).toBe(1);

    await expect(circuit.fire(down)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(calls).toBe(3);

    await once(circuit.breaker, "halfOpen");
    const up = async (): Promise<Response> => { calls += 1; return new Response("{}", { status: 404 }); };
    expect((await circuit.fire(up)).status).toBe(404);  // a 404 is the CMS answering
    expect(circuit.breaker.closed).toBe(true);
    expect(circuit.unavailableFor()).toBeNull();
    expect(calls).toBe(4);
  });

  it("counts a 502-504 as a failure and says the CMS is failing after one", async () => {
    const circuit = createCircuit(settings);
    await expect(circuit.fire(async () => new Response("oops", { status: 502 })))
      .rejects.toThrow("CMS answered 502");
    expect(circuit.breaker.closed).toBe(true);  // below the volume threshold
    expect(circuit.unavailableFor()).toBe(1);
  });

  it("never opens on 500s, which one visitor could repeat at will", async () => {
    const circuit = createCircuit(settings);
    for (let n = 0; n < 20; n += 1) {
      const response = await circuit.fire(async () => new Response("bug", { status: 500 }));
      expect(response.status).toBe(500);
    }
    expect(circuit.breaker.closed).toBe(true);
    expect(circuit.unavailableFor()).toBeNull();
  });

  it("says the CMS is back only after a success asked for after the last failure", async () => {
    const circuit = createCircuit(settings);
    let answer: (response: Response) => void = () => undefined;
    const earlier = circuit.fire(() => new Promise<Response>((resolve) => { answer = resolve; }));
    await expect(circuit.fire(async () => { throw new TypeError("fetch failed"); })).rejects.toThrow();
    answer(new Response("{}"));
    await earlier;
    expect(circuit.unavailableFor()).toBe(1);
    await circuit.fire(async () => new Response("{}"));
    expect(circuit.unavailableFor()).toBeNull();
  });
});

describe("a 500 while the CMS fails", () => {
  it("is a 503 with Retry-After; any other 500 stays one", async () => {
    let unavailable: number | null = 7;
    answerCmsOutagesWith503(() => unavailable);
    const server = createServer((_request, response) => {
      response.statusCode = 500;
      response.end("error page");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const during = await fetch(url);
      expect([during.status, during.headers.get("retry-after"), await during.text()])
        .toEqual([503, "7", "error page"]);
      unavailable = null;
      const after = await fetch(url);
      expect([after.status, after.headers.get("retry-after")]).toEqual([500, null]);
    } finally {
      server.close();
    }
  });
});
