// A server component that decodes the token in the request's cookie (the one the "cookie" backend
// writes). tokenstore is initialised by the module's top-level await, once per server process: under
// cacheComponents, awaiting init() while rendering would be uncached work outside <Suspense>.
import { Suspense } from "react";
import { cookies } from "next/headers";
import init, { decodeClaims, isTokenError } from "tokenstore";

await init();

async function SignedIn() {
  const token = (await cookies()).get("next.jwt")?.value;
  let name = null;
  try {
    name = token ? decodeClaims(token).name : null;
  } catch (error) {
    if (!isTokenError(error)) throw error;
  }
  return <p id="who">{name ? `Signed in as ${name}` : "anonymous"}</p>;
}

export default function ServerPage() {
  return (
    <main>
      <h1>Who is signed in, decoded on the server</h1>
      <Suspense fallback={<p id="who">…</p>}>
        <SignedIn />
      </Suspense>
    </main>
  );
}
