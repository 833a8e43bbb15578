// A partner's flow driven through a client generated from the OpenAPI document (openapi-typescript +
// openapi-fetch): no hand-written JSON, no non-null assertion on what the server always sends.
// Run by .ci/run against the run command: PARE_API, and the demo cell's head and worker tokens
// (PARE_HEAD_TOKEN, PARE_WORKER_TOKEN) to set up a partner and a referral the way the cell does.
import createClient from "openapi-fetch";
import type { paths } from "./generated/pare.js";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`Failed: ${what}`);
}

const baseUrl = setting("PARE_API");
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const pare = createClient<paths>({ baseUrl });
const head = as(setting("PARE_HEAD_TOKEN"));
const worker = as(setting("PARE_WORKER_TOKEN"));

// The cell: a partner, its API client, a case and a referral sent to it.
const partner = await pare.POST("/api/v1/partners", { headers: head, body: { name: "Association du client généré", type: "association" } });
check(partner.data !== undefined, `partner created (${partner.response.status})`);
const issued = await pare.POST("/api/v1/partners/{partnerId}/clients", {
  headers: head, params: { path: { partnerId: partner.data.id } }, body: { scopes: ["referrals:read", "referrals:respond", "episodes:report"] },
});
check(issued.data !== undefined, `client issued (${issued.response.status})`);
const opened = await pare.POST("/api/v1/cases", {
  headers: worker,
  body: {
    firstName: "Client", lastName: `Généré${Date.now()}`, dateOfBirth: "2011-04-02",
    placement: { kind: "childWelfareEstablishment", establishment: "MECS des Tests" },
  },
});
check(opened.data !== undefined, `case opened (${opened.response.status})`);
const drafted = await pare.POST("/api/v1/cases/{caseId}/referrals", {
  headers: worker, params: { path: { caseId: opened.data.id } },
  body: { partnerId: partner.data.id, reason: "Accompagnement", shares: ["identity", "openEpisode"], ground: { guardianConsented: true } },
});
check(drafted.data !== undefined, `referral drafted (${drafted.response.status})`);
const sent = await pare.POST("/api/v1/referrals/{referralId}/sending", { headers: worker, params: { path: { referralId: drafted.data.id } }, body: {} });
check(sent.response.ok, `referral sent (${sent.response.status})`);

// The partner: a token by client credentials…
const token = await pare.POST("/api/v1/partner-auth/token", {
  body: { grant_type: "client_credentials", client_id: issued.data.clientId, client_secret: issued.data.clientSecret },
  bodySerializer: (form) => new URLSearchParams(form as Record<string, string>).toString(),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});
check(token.data !== undefined, `token issued (${token.response.status})`);
const me = as(token.data.access_token);

// …lists and reads its referrals…
const listed = await pare.GET("/api/v1/partner/referrals", { headers: me });
check(listed.data !== undefined && listed.data.some((r) => r.id === drafted.data.id), "the referral is listed");
const referralId = drafted.data.id;
const read = await pare.GET("/api/v1/partner/referrals/{referralId}", { headers: me, params: { path: { referralId } } });
check(read.data !== undefined && read.data.status === "sent", `referral read as sent (${read.data?.status})`);
const firstETag = read.response.headers.get("ETag");
check(firstETag !== null, "the referral has an ETag");

// …acknowledges it with If-Match…
const acknowledged = await pare.POST("/api/v1/partner/referrals/{referralId}/acknowledgement", {
  headers: me, params: { path: { referralId }, header: { "If-Match": firstETag } }, body: {},
});
check(acknowledged.data !== undefined && acknowledged.data.status === "received", `acknowledged (${acknowledged.response.status})`);

// …accepts it with the ETag it read first: 412, read again, retry.
const stale = await pare.POST("/api/v1/partner/referrals/{referralId}/acceptance", {
  headers: me, params: { path: { referralId }, header: { "If-Match": firstETag } }, body: {},
});
check(stale.response.status === 412 && stale.error !== undefined && stale.error.code === "precondition-failed", `a stale ETag answers 412 (${stale.response.status})`);
const reread = await pare.GET("/api/v1/partner/referrals/{referralId}", { headers: me, params: { path: { referralId } } });
const freshETag = reread.response.headers.get("ETag");
check(freshETag !== null && freshETag !== firstETag, "a new ETag");
const accepted = await pare.POST("/api/v1/partner/referrals/{referralId}/acceptance", {
  headers: me, params: { path: { referralId }, header: { "If-Match": freshETag } }, body: {},
});
check(accepted.data !== undefined && accepted.data.status === "accepted", `accepted after re-reading (${accepted.response.status})`);

// …and reports a disappearance with an Idempotency-Key, sent twice: one episode.
const key = `ci-${Date.now()}`;
const runaway = {
  lastSeenAt: new Date(Date.now() - 3_600_000).toISOString(), lastSeenPlace: "Gare routière", reportedBy: "Éducatrice de l'association",
  classification: "runaway" as const,
};
const reported = await pare.POST("/api/v1/partner/referrals/{referralId}/episodes", {
  headers: me, params: { path: { referralId }, header: { "Idempotency-Key": key } }, body: runaway,
});
check(reported.data !== undefined && reported.data.referralId === referralId, `runaway reported (${reported.response.status})`);
const again = await pare.POST("/api/v1/partner/referrals/{referralId}/episodes", {
  headers: me, params: { path: { referralId }, header: { "Idempotency-Key": key } }, body: runaway,
});
check(again.data !== undefined && again.data.episodeId === reported.data.episodeId, "the retry answers the same episode");
check(again.response.headers.get("Idempotent-Replayed") === "true", "the retry is a replay");

console.log(`TypeScript client: partner flow passed (referral ${referralId}, episode ${reported.data.episodeId})`);
