// A server component, rendered on every request, around the client component that reads the store.
import Auth from "./auth.js";

export const dynamic = "force-dynamic";

export default function Page() {
  return (
    <main>
      <h1>tokenstore in Next.js</h1>
      <p id="rendered">rendered on the server at request time</p>
      <Auth />
    </main>
  );
}
