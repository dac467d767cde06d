//! What proves who a caller is, without HTTP's request plumbing: passwords (argon2id and the
//! strength policy), access tokens (JWT) and refresh tokens, API keys, the sign-in throttle and
//! the session cookie. The extractors that use them to authenticate a request are in `auth`.

pub mod api_keys;
pub mod passwords;
pub mod session_cookie;
pub mod throttle;
pub mod tokens;
