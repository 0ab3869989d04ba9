// A fediverse account on loopback built on Fedify (the ActivityPub framework Ghost builds on),
// driven by the tests through /control/*: it looks the site up, follows it, replies, likes,
// unfollows and deletes, and lists what its inbox accepted. Fedify checks every signature it
// receives and signs everything it sends; this file only wires its parts together.
// Usage: node peer.mjs PORT
import http from "node:http";
import {
  Accept, Create, Delete, Endpoints, Follow, Like, Note, Person, PUBLIC_COLLECTION, Tombstone,
  Undo, Update, createFederation, generateCryptoKeyPair, MemoryKvStore,
} from "@fedify/fedify";

const port = Number(process.argv[2]);
const origin = `http://127.0.0.1:${port}`;
const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });
const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const inbox = [];
let serial = 0;

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "reader") return null;
    const [pair] = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Loopback Reader",
      url: new URL("/@reader", ctx.url),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pair.cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (ctx, identifier) => (identifier === "reader" ? [keys] : []));

async function record(ctx, activity) {
  const object = await activity.getObject({ documentLoader: ctx.documentLoader }).catch(() => null);
  inbox.push({
    type: activity.constructor.name,
    id: activity.id?.href,
    actor: activity.actorId?.href,
    object: object?.id?.href ?? null,
    objectType: object?.constructor?.name ?? null,
    content: object?.content?.toString() ?? null,
    inReplyTo: object?.replyTargetId?.href ?? null,
    attachments: object ? (await Array.fromAsync(object.getAttachments())).length : 0,
  });
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, record)
  .on(Create, record)
  .on(Update, record)
  .on(Delete, record);

const me = (ctx) => ctx.getActorUri("reader");
const sender = { identifier: "reader" };

async function site(ctx, handle) {
  const actor = await ctx.lookupObject(handle);
  if (actor == null) throw new Error(`${handle} was not found by WebFinger`);
  return actor;
}

const controls = {
  async lookup(ctx, q) {
    const actor = await site(ctx, q.get("handle"));
    return { id: actor.id.href, inbox: actor.inboxId?.href, name: actor.name?.toString() };
  },
  async follow(ctx, q) {
    const actor = await site(ctx, q.get("handle"));
    const follow = new Follow({ id: new URL(`/follows/${++serial}`, origin), actor: me(ctx), object: actor.id });
    await ctx.sendActivity(sender, actor, follow);
    return { follow: follow.id.href };
  },
  async unfollow(ctx, q) {
    const actor = await site(ctx, q.get("handle"));
    const follow = new Follow({ id: new URL(q.get("follow")), actor: me(ctx), object: actor.id });
    await ctx.sendActivity(sender, actor, new Undo({ id: new URL(`/undo/${++serial}`, origin), actor: me(ctx), object: follow }));
    return {};
  },
  async reply(ctx, q) {
    const actor = await site(ctx, q.get("handle"));
    const note = new Note({
      id: new URL(`/notes/${++serial}`, origin), attribution: me(ctx), to: PUBLIC_COLLECTION, cc: actor.id,
      replyTarget: new URL(q.get("to")), content: q.get("html"),
    });
    await ctx.sendActivity(sender, actor, new Create({ id: new URL(`/creates/${serial}`, origin), actor: me(ctx), object: note, to: PUBLIC_COLLECTION }));
    return { note: note.id.href };
  },
  async edit(ctx, q) {
    const actor = await site(ctx, q.get("handle"));
    const note = new Note({
      id: new URL(q.get("note")), attribution: me(ctx), to: PUBLIC_COLLECTION, cc: actor.id,
      replyTarget: new URL(q.get("to")), content: q.get("html"),
    });
    await ctx.sendActivity(sender, actor, new Update({ id: new URL(`/updates/${++serial}`, origin), actor: me(ctx), object: note }));
    return {};
  },
  async like(ctx, q) {
    const actor = await site(ctx, q.get("handle"));
    const like = new Like({ id: new URL(`/likes/${++serial}`, origin), actor: me(ctx), object: new URL(q.get("object")) });
    await ctx.sendActivity(sender, actor, like);
    return { like: like.id.href };
  },
  async delete(ctx, q) {
    const actor = await site(ctx, q.get("handle"));
    const gone = new Tombstone({ id: new URL(q.get("note")) });
    await ctx.sendActivity(sender, actor, new Delete({ id: new URL(`/deletes/${++serial}`, origin), actor: me(ctx), object: gone }));
    return {};
  },
  async inbox() {
    return inbox;
  },
};

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, origin);
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(url, { method: req.method, headers: req.headers, body });
    if (url.pathname.startsWith("/control/")) {
      const ctx = federation.createContext(request, undefined);
      try {
        const answer = await controls[url.pathname.slice(9)](ctx, url.searchParams);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      } catch (error) {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error?.stack ?? error));
      }
      return;
    }
    const response = await federation.fetch(request, { contextData: undefined });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  })
  .listen(port, "127.0.0.1", () => console.log(`peer on ${origin}`));
