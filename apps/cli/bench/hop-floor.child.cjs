// One process of the hop-floor bench (hop-floor.bench.ts): the pipeline's three hops with none
// of the product in them, on the same libraries, Node flags, nats-server and stand-in as the
// services. What each costs per message is the floor under ingest, parser and appointment.
//   smtp-in: smtp-server takes a mail, JetStream publish (PubAck) to floor.in      (ingest's hop)
//   relay:   pull-consume floor.in, JetStream publish to floor.mid, ack            (parser's hop)
//   store:   pull-consume floor.mid, one insertOne, core publish floor.done, ack   (appointment's hop)
// Plain JavaScript: it runs as its own process from the source tree, with no build step.
'use strict';
const { connect } = require('@nats-io/transport-node');
const { jetstream } = require('@nats-io/jetstream');

const [role, natsUrl, arg] = process.argv.slice(2);

async function main() {
  const nc = await connect({ servers: natsUrl, name: `floor-${role}` });
  const js = jetstream(nc);
  if (role === 'smtp-in') return smtpIn(js);
  if (role === 'relay') return consume(js, 'FLOOR_IN', 'relay', async (m) => { await js.publish('floor.mid', m.data); });
  if (role === 'store') {
    const { MongoClient } = require('mongodb');
    const client = await new MongoClient(arg).connect();
    const meetings = client.db('floor').collection('meetings');
    return consume(js, 'FLOOR_MID', 'store', async (m) => {
      const id = `m-${m.seq}`;
      await meetings.insertOne({ _id: id, bytes: m.data.length, at: new Date() });
      nc.publish('floor.done', id);
    });
  }
  throw new Error(`unknown role ${role}`);
}

/** As libs/messaging's consumer runner: consume() with 4 messages held per handler slot, 32 slots. */
async function consume(js, stream, durable, handle) {
  const consumer = await js.consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: 128 });
  process.stdout.write('READY\n');
  let running = 0;
  const waiting = [];
  const pump = () => {
    while (running < 32 && waiting.length > 0) {
      const m = waiting.shift();
      running += 1;
      handle(m).then(() => m.ack(), () => m.nak()).finally(() => { running -= 1; pump(); });
    }
  };
  for await (const m of messages) { waiting.push(m); pump(); }
}

function smtpIn(js) {
  const { SMTPServer } = require('smtp-server');
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, size: 25 * 1024 * 1024,
    onData(stream, _session, done) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => js.publish('floor.in', Buffer.concat(chunks)).then(() => done(), (err) => done(err)));
    },
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.server.address().port}\n`));
}

main().catch((err) => { process.stderr.write(`${role}: ${err.stack}\n`); process.exit(1); });
