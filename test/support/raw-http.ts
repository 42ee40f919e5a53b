// One HTTP request to 127.0.0.1 with exactly the headers given, so that a test can send the Host and Origin a
// browser, a rebound name or another web page would send to a local server (the playground, the stand-in).
import { request } from "node:http";

export interface RawAnswer {
  status: number;
  body: string;
}

export function rawRequest(
  port: number | string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
