// Starts fauxqs as a benchmark peer, bound to 127.0.0.1 only (fauxqs binds 0.0.0.0 by default).
//   node start.mjs PORT [DATA_DIR]     DATA_DIR: turn on fauxqs's SQLite persistence there
// Run it with the Node that `npm ci` put in node_modules/.bin (fauxqs needs Node >= 22.5).
// Prints "fauxqs listening on http://127.0.0.1:PORT" once it accepts; stops on SIGTERM/SIGINT.
import net from "node:net";

const port = Number(process.argv[2]);
const dataDir = process.argv[3];
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error("usage: node start.mjs PORT [DATA_DIR]");
  process.exit(2);
}

// Every listen() in this process goes to 127.0.0.1, whatever host fauxqs asks for.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] !== null && typeof args[0] === "object" && !Array.isArray(args[0])) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  } else if (typeof args[0] === "number" || typeof args[0] === "string") {
    // listen(port[, host][, backlog][, callback]): put our host in the host slot.
    args = [args[0], "127.0.0.1", ...args.slice(1).filter((a) => typeof a !== "string")];
  }
  return listen.apply(this, args);
};

const { startFauxqs } = await import("fauxqs");
const options = { port, logger: false };
if (dataDir) options.dataDir = dataDir;
const server = await startFauxqs(options);
console.log(`fauxqs listening on http://127.0.0.1:${server.port}${dataDir ? ` (SQLite in ${dataDir})` : ""}`);

const stop = async () => {
  try {
    await server.stop();
  } finally {
    process.exit(0);
  }
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
