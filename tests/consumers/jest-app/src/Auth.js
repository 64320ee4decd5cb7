// The component under test: the store through tokenstore/react, the login hook in an effect.
import { useEffect } from "react";
import { useTokenStore } from "tokenstore/react";

export function Auth({ store, onLogin }) {
  const auth = useTokenStore(store);
  useEffect(() => {
    const hooks = store.autoLogin({ onLogin });
    return () => hooks.dispose();
  }, [store, onLogin]);
  return <p id="status">{auth.status === "authenticated" ? `Welcome, ${auth.claims.name}` : "anonymous"}</p>;
}
