// What the README's samples take from the app around them.
declare const token: string;
declare const input: string;
declare const username: string;
declare const password: string;
// The app's store, its claims named as the README's TypeScript section shows.
declare const store: import("tokenstore").TokenStore<{ name: string; roles?: string[] }>;
declare const app: {
  loginWithJWT(token: string, claims: import("tokenstore").JwtClaims): void;
  showLoggedOut(reason: import("tokenstore").LogoutReason): void;
};
declare const analytics: { identify(id: string | undefined): void };
declare const fetchToken: (current: string | null, signal: AbortSignal) => Promise<string | null>;
declare function greet(name: string): void;
declare function refreshToken(): void;
declare function showError(message: string): void;
declare function Login(): import("react").ReactElement;
declare function showWelcome(name: unknown): void;
declare function showLoginForm(): void;
