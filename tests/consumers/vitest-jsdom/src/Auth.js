// The component under test: the store through tokenstore/react, and the login hook registered in an
// effect, as apps written before the package had useTokenStore do.
import { createElement as h, useEffect } from "react";
import { useTokenStore } from "tokenstore/react";

export function Auth({ store, onLogin }) {
  const auth = useTokenStore(store);
  useEffect(() => {
    const hooks = store.autoLogin({ onLogin });
    return () => hooks.dispose();
  }, [store, onLogin]);
  return h("p", { id: "status" }, auth.status === "authenticated" ? `Welcome, ${auth.claims.name}` : "anonymous");
}
