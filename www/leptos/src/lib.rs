//! The tokenstore demo's Leptos app: tokenstore's Rust API in a client-side rendered app.
//!
//! It shares the JS apps' key and backend, so a login here is a login there, in any tab of the origin,
//! and the other way round. What it shows comes from the store's hooks: `auto_login` reports a token
//! when the page loads with one, when another tab (Rust or JS) logs in, and when this tab does.

use gloo_net::http::Request;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use tokenstore::{Backend, Options, TokenStore};
use wasm_bindgen::prelude::wasm_bindgen;

/// The key every demo app keeps its token under.
const KEY: &str = "tokenstore-demo.jwt";

/// What this app reads from the demo server's tokens, in its own type: serde decodes the payload.
#[derive(Clone, Debug, Deserialize, PartialEq)]
struct Claims {
    sub: String,
    name: String,
    exp: u64,
}

/// The body of a login request.
#[derive(Serialize)]
struct Credentials<'a> {
    username: &'a str,
    password: &'a str,
}

/// The demo server's answer to a login: a token, or why there is none.
#[derive(Deserialize)]
struct LoginAnswer {
    token: Option<String>,
    error: Option<String>,
}

/// An error as the app shows it: its stable code, then what happened.
fn describe(failure: &tokenstore::Error) -> String {
    format!("{}: {failure}", failure.code())
}

/// Mounts the app when the module is loaded.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

/// Asks the demo server for a token.
async fn request_token(username: &str, password: &str) -> Result<String, String> {
    let response = Request::post("/api/login")
        .json(&Credentials { username, password })
        .map_err(|error| error.to_string())?
        .send()
        .await
        .map_err(|error| error.to_string())?;
    let status = response.status();
    let answer: LoginAnswer = response.json().await.map_err(|error| error.to_string())?;
    match (answer.token, answer.error) {
        (Some(token), _) => Ok(token),
        (None, Some(error)) => Err(error),
        (None, None) => Err(format!("/api/login answered {status}")),
    }
}

/// Tells the demo server that this token is done with, so it refuses it from now on.
async fn revoke(token: String) {
    // The token is already gone from the store: a failed call changes nothing the user sees.
    let _ = Request::post("/api/logout")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await;
}

#[component]
fn App() -> impl IntoView {
    let session = RwSignal::new(None::<Claims>);
    let error = RwSignal::new(String::new());
    let events = RwSignal::new(Vec::<String>::new());
    let log = move |line: String| events.update(|lines| lines.push(line));

    let opened = TokenStore::open(Options::new(KEY).backend(Backend::Local)).and_then(|store| {
        let hook = store.auto_login(
            move |token: &str| match tokenstore::decode_claims::<Claims>(token) {
                Ok(claims) => {
                    log(format!("login: {}", claims.name));
                    session.set(Some(claims));
                }
                Err(failure) => error.set(describe(&failure)),
            },
            move |reason| {
                log(format!("logout: {}", reason.name()));
                session.set(None);
            },
        )?;
        Ok((store, hook))
    });
    let (store, hook) = match opened {
        Ok(opened) => opened,
        Err(failure) => {
            return view! { <main><p class="error">{describe(&failure)}</p></main> }.into_any()
        }
    };
    // The store and its hook live as long as the app: dropping the hook would detach it.
    let store = StoredValue::new_local((store, hook));

    let username = NodeRef::<html::Input>::new();
    let password = NodeRef::<html::Input>::new();
    let login = move |event: SubmitEvent| {
        event.prevent_default();
        let (Some(username), Some(password)) = (username.get(), password.get()) else {
            return;
        };
        let (username, password) = (username.value(), password.value());
        error.set(String::new());
        spawn_local(async move {
            let stored = match request_token(&username, &password).await {
                Ok(token) => store.try_with_value(|(store, _)| store.set(&token)),
                Err(message) => return error.set(message),
            };
            if let Some(Err(failure)) = stored {
                error.set(describe(&failure));
            }
        });
    };
    let logout = move |_| {
        let Some((token, cleared)) =
            store.try_with_value(|(store, _)| (store.get(), store.clear()))
        else {
            return;
        };
        if let Err(failure) = cleared {
            return error.set(describe(&failure));
        }
        if let Some(token) = token {
            spawn_local(revoke(token));
        }
    };

    let signed_in = move || session.with(Option::is_some);
    let status = move || {
        if signed_in() {
            "authenticated"
        } else {
            "anonymous"
        }
    };
    view! {
        <main>
            <h1>"Leptos " <span id="status" class="status" data-status=status>{status}</span></h1>
            <nav><a href="/">"All demo apps"</a></nav>
            <form id="auth-form" hidden=signed_in on:submit=login>
                <label>"Username " <input id="username" autocomplete="username" required node_ref=username/></label>
                <label>"Password " <input id="password" type="password" autocomplete="current-password" required node_ref=password/></label>
                <button id="login" type="submit">"Log in"</button>
                <p id="auth-error" class="error">{move || error.get()}</p>
            </form>
            <section id="session" hidden=move || !signed_in()>
                <h2 id="welcome">{move || session.with(|claims| claims.as_ref().map(|claims| format!("Welcome, {}", claims.name)))}</h2>
                <button id="logout" type="button" on:click=logout>"Log out"</button>
                <h3>"Claims, as this app's own type"</h3>
                <pre id="claims">{move || session.with(|claims| claims.as_ref().map(|claims| format!("{claims:#?}")))}</pre>
            </section>
            <section>
                <h3>"Events"</h3>
                <ol id="events">{move || events.get().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ol>
            </section>
        </main>
    }
    .into_any()
}
