//! The merchant-registry endpoints.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use keyport_engine::core::attest::{self, AttestSecret};
use keyport_engine::core::text::for_log;
use keyport_engine::model::{DataSpace, Entitlement, Project, RegistryRow, SandboxRequestRecord};
use keyport_engine::served::{AttestAnswer, AttestRequest};
use keyport_engine::{Engine, EngineError, ErrorBody, ErrorCode};
use serde_json::{Value, json};

use crate::guard::{Guard, guard};
use crate::log::RequestLog;

/// Shared by every request; cloning it is one reference count.
#[derive(Clone)]
struct AppState(Arc<Shared>);

struct Shared {
    engine: Engine,
    /// Answers `/keyport/v1/attest` (see `keyport_core::attest`).
    secret: Arc<AttestSecret>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The sandbox's routes over `engine`, logging every request to `log`.
/// `bound` is the address it serves on (for the Host and Origin checks);
/// a request taking longer than `request_timeout` is answered with
/// `request_timeout`. `secret` proves to this home's clients that the
/// sandbox is theirs.
pub fn router(
    engine: Engine,
    secret: Arc<AttestSecret>,
    log: RequestLog,
    bound: SocketAddr,
    request_timeout: Duration,
) -> Router {
    Router::new()
        .route("/merchant-registry/v1/ping", get(ping))
        .route("/merchant-registry/v1/registry", get(registry))
        .route("/merchant-registry/v1/registry/initialize", post(initialize))
        .route("/merchant-registry/v1/registry/projects/{project_id}", get(project).patch(rename_project))
        .route(
            "/merchant-registry/v1/registry/environments/{environment_id}",
            get(environment).patch(rename_environment),
        )
        // Keyport's extension: an external authorisation service for scoped keys.
        .route("/keyport/v1/authorize", post(authorize).layer(axum::extract::DefaultBodyLimit::max(AUTHORIZE_BODY)))
        .route("/keyport/v1/attest", post(attest).layer(axum::extract::DefaultBodyLimit::max(AUTHORIZE_BODY)))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn_with_state(Guard { bound, request_timeout }, guard))
        .layer(middleware::from_fn_with_state(log, record))
        .with_state(AppState(Arc::new(Shared { engine, secret })))
}

/// The largest body `POST /keyport/v1/authorize` takes.
const AUTHORIZE_BODY: usize = 4 * 1024;

/// A refusal: `{code, message}` with the code's HTTP status. The code also
/// goes to the log.
pub(crate) struct Refusal(StatusCode, ErrorBody);

impl Refusal {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Refusal {
        Refusal(status_of(code), ErrorBody::new(code, message))
    }
}

impl From<EngineError> for Refusal {
    fn from(e: EngineError) -> Refusal {
        Refusal(status_of(e.code()), e.body())
    }
}

/// The HTTP status of every code, decided here once: a new code does not
/// compile until it has one (no wildcard).
fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    #[rustfmt::skip]
    let status = match code {
        // Not authenticated: no usable key pair.
        MissingApiKey | MissingSignature | UnknownApiKey | ApiKeyMalformed | ApiKeyChecksum | ApiKeyWrongEnvironment
        | JwtTooLarge | JwtMalformed | JwtAlgorithm | JwtSignature | JwtMissingExp | JwtExpired | JwtNotYetValid
        | JwtLifetimeTooLong => StatusCode::UNAUTHORIZED,
        // Authenticated, and refused.
        KeyRevoked | AccountSuspended => StatusCode::FORBIDDEN,
        ProjectNotFound | DataSpaceNotFound | NotFound | AccountNotFound | NoAccount | KeyNotFound
        | MerchantNotFound | InstanceNotFound => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        NameTaken | MageIdTaken | LabelTaken | MerchantsExist => StatusCode::CONFLICT,
        PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        HostNotAllowed | OriginNotAllowed => StatusCode::FORBIDDEN,
        RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        EmptyValue | ValueTooLong | InvalidCharacters | DuplicateHeader | ConflictingApiKeys | InvalidHeader
        | InvalidBody | BadRequest | InvalidArguments | MageIdEmpty | MageIdMalformed | UnknownEdition
        | UnknownOperatingModel | UnknownStanding | UnknownEnvironment | UnknownKeyStatus | UnknownDataSpaceType
        | UnsupportedKeySize | MerchantsNotAllowed | UnknownInstanceType | UnknownGateway | WebsiteCodeMalformed
        | WebsiteCodeDuplicate | UrlInvalid | ImsOrgMalformed | UnknownAccountRelation | UnknownFeature
        | MethodMalformed | PathMalformed => StatusCode::BAD_REQUEST,
        // The sandbox's own storage failed, or codes no request can produce
        // (a bug if they appear).
        KeychainUnavailable | KeychainError | DatabaseError | DatabaseCorrupt | DatabaseForeign | DatabaseTooNew
        | HomeMissing | HomeNotADirectory | HomeNotWritable | IoError | DiskFull | KeyGenerationFailed
        | PrivateKeyNotPem | PrivateKeyWrongKind | PrivateKeyUnparseable | PrivateKeyMismatch | PrivateKeyUnreadable
        | PublicKeyInvalid | AlreadyDelivered | PendingKeyMissing | SaveCancelled | DownloadInProgress
        | FolderMissing | FolderNotWritable | FileExists | FileNotPrivate | PathIsFolder | SavedFileMismatch | GatewayUnreachable
        | GatewayRefused | BindFailed | IpcError | WebsiteCodeCollision | ConfirmationRequired | ConnectorInvalid
        | PrivateKeyNotHeld | KeyOfOtherAccount | KeysNotConfigured | NoLocalGateway | NoHomeSandbox | GatewayUnattributed
        | FolderNotEmpty | ChangedMeanwhile | RecipientMalformed | PassphraseTooShort | ExpiryOutOfRange
        | BundleSealFailed | BundleNotAge | BundleDamaged | BundlePassphraseRequired | BundleNotForPassphrase
        | BundleWrongIdentity | BundleWorkFactor | BundleWrongPassphrase | BundleNotKeyport | BundleVersionUnsupported
        | BundleManifestInvalid | BundleExpired | BundleKeyUnreadable | BundleKeyMismatch | BundleTooLarge
        | BundleEmpty | BundleMixedAccounts | BundleKeyConflict | IdentityLost | IdentityExists
        | ClientAccount | ScopedKeysNotAllowed | ScopeEmpty | FeatureNotOffered => StatusCode::INTERNAL_SERVER_ERROR,
    };
    status
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = (self.0, Json(&self.1)).into_response();
        response.extensions_mut().insert(LoggedCode(self.1.code));
        response
    }
}

#[derive(Clone)]
struct LoggedCode(ErrorCode);

/// A request whose key pair passed entitlement validation.
struct Authenticated(Arc<Entitlement>);

fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, Refusal> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(Refusal::new(ErrorCode::DuplicateHeader, format!("The header {name} is sent more than once.")));
    }
    first
        .to_str()
        .map(|v| Some(v.trim()))
        .map_err(|_| Refusal::new(ErrorCode::InvalidHeader, format!("The header {name} is not text.")))
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let refuse = |r: Refusal| r.into_response();
        let x_api_key = single_header(&parts.headers, "x-api-key").map_err(refuse)?;
        let magento_api_key = single_header(&parts.headers, "magento-api-key").map_err(refuse)?;
        let api_key = match (x_api_key, magento_api_key) {
            (Some(a), Some(b)) if a != b => {
                return Err(refuse(Refusal::new(
                    ErrorCode::ConflictingApiKeys,
                    "x-api-key and magento-api-key name different keys.",
                )));
            }
            (Some(key), _) | (None, Some(key)) => key,
            (None, None) => {
                return Err(refuse(Refusal::new(ErrorCode::MissingApiKey, "The x-api-key header is missing.")));
            }
        };
        let Some(signature) = single_header(&parts.headers, "x-gw-signature").map_err(refuse)? else {
            return Err(refuse(Refusal::new(
                ErrorCode::MissingSignature,
                "The x-gw-signature header (a JWT signed with the private key) is missing.",
            )));
        };
        let entitlement = match state.engine.validate_entitlement(api_key, signature).await {
            Ok(e) => e,
            Err(e) => {
                // Name the key in the log even when it was refused (revoked,
                // bad signature…): that is what someone debugging needs.
                let key = match keyport_engine::core::ApiKey::parse(api_key) {
                    Ok(parsed) => state.engine.key(parsed.as_str()).await.ok(),
                    Err(_) => None,
                };
                if let (Some(slot), Some(key)) = (parts.extensions.get::<EntitlementSlot>(), key) {
                    *slot.0.lock().expect("slot lock") = Some(Arc::new(Entitlement {
                        key_id: key.id,
                        account_id: key.account_id,
                        label: key.label,
                        environment: key.environment,
                    }));
                }
                return Err(refuse(e.into()));
            }
        };
        if let Some(slot) = parts.extensions.get::<EntitlementSlot>() {
            *slot.0.lock().expect("slot lock") = Some(Arc::clone(&entitlement));
        }
        Ok(Authenticated(entitlement))
    }
}

/// The registry's row: one per data space. `environmentType` is spelled as
/// Adobe's registry spells it ("Production", "Testing"), which the
/// services-id module stores in `services_connector/services_id/environment`.
fn row(project: &Project, space: &DataSpace) -> RegistryRow {
    RegistryRow {
        project_id: project.id.clone(),
        project_name: project.name.clone(),
        environment_id: space.id.clone(),
        environment_name: space.name.clone(),
        environment_type: space.data_space_type.label().to_string(),
    }
}

fn results(projects: &[Project]) -> Json<Value> {
    let rows: Vec<RegistryRow> = projects.iter().flat_map(|p| p.data_spaces.iter().map(move |d| row(p, d))).collect();
    Json(json!({ "results": rows }))
}

/// Reads a JSON object body with one required string field.
fn string_field(body: &Bytes, field: &str) -> Result<String, Refusal> {
    let bad = |message: String| Refusal::new(ErrorCode::InvalidBody, message);
    let value: Value = serde_json::from_slice(body).map_err(|e| bad(format!("The body is not valid JSON: {e}.")))?;
    match value.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(bad(format!("\"{field}\" must be a string."))),
        None => Err(bad(format!("The body needs a \"{field}\" field."))),
    }
}

/// `ping`'s answer.
#[derive(serde::Serialize)]
struct Pong {
    status: &'static str,
    environment: keyport_engine::core::Environment,
}

async fn ping(Authenticated(e): Authenticated) -> Json<Pong> {
    Json(Pong { status: "OK", environment: e.environment })
}

async fn registry(State(s): State<AppState>, Authenticated(e): Authenticated) -> Result<Json<Value>, Refusal> {
    Ok(results(&s.engine.projects(&e.account_id).await?))
}

async fn initialize(
    State(s): State<AppState>,
    Authenticated(e): Authenticated,
    body: Bytes,
) -> Result<Json<Value>, Refusal> {
    let name = string_field(&body, "projectName")?;
    let project = s.engine.create_project(&e.account_id, &name).await?;
    Ok(results(std::slice::from_ref(&project)))
}

async fn project(
    State(s): State<AppState>,
    Authenticated(e): Authenticated,
    Path(project_id): Path<String>,
) -> Result<Json<Value>, Refusal> {
    let project = s.engine.project_by_id(&e.account_id, &project_id).await?;
    Ok(results(std::slice::from_ref(&project)))
}

async fn rename_project(
    State(s): State<AppState>,
    Authenticated(e): Authenticated,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Refusal> {
    let name = string_field(&body, "projectName")?;
    let project = s.engine.project_by_id(&e.account_id, &project_id).await?;
    let renamed = s.engine.rename_project(&e.account_id, &project.id, &name).await?;
    Ok(results(std::slice::from_ref(&renamed)))
}

async fn environment(
    State(s): State<AppState>,
    Authenticated(e): Authenticated,
    Path(environment_id): Path<String>,
) -> Result<Json<RegistryRow>, Refusal> {
    let space = s.engine.data_space(&e.account_id, &environment_id).await?;
    let project = s.engine.project_by_id(&e.account_id, &space.project_id).await?;
    Ok(Json(row(&project, &space)))
}

async fn rename_environment(
    State(s): State<AppState>,
    Authenticated(e): Authenticated,
    Path(environment_id): Path<String>,
    body: Bytes,
) -> Result<Json<RegistryRow>, Refusal> {
    let name = string_field(&body, "environmentName")?;
    let space = s.engine.rename_data_space(&e.account_id, &environment_id, &name).await?;
    let project = s.engine.project_by_id(&e.account_id, &space.project_id).await?;
    Ok(Json(row(&project, &space)))
}

/// `POST /keyport/v1/authorize` (Keyport's extension): may the calling key
/// call `method` `path` for `merchant`? Authenticated like the registry
/// (`x-api-key` + `x-gw-signature`), so a proxy in front of real endpoints
/// forwards the caller's headers and asks. The decision is the answer (200);
/// only malformed requests are refusals.
async fn authorize(
    State(s): State<AppState>,
    Authenticated(e): Authenticated,
    body: Bytes,
) -> Result<Json<keyport_engine::core::scope::Access>, Refusal> {
    let request: keyport_engine::model::AccessRequest = serde_json::from_slice(&body).map_err(|err| {
        Refusal::new(
            ErrorCode::InvalidBody,
            format!(
                "The body must be {{\"method\": \"POST\", \"path\": \"/forward\", \"merchant\": \"…\"}}: {}.",
                err.to_string().chars().take(120).collect::<String>()
            ),
        )
    })?;
    Ok(Json(s.engine.check_access(&e.key_id, &request).await?))
}

/// Keyport's extension: proves the sandbox holds its home's secret, so
/// `keyport key validate` can tell it from a program squatting the port.
/// Needs no API key: the answer reveals nothing without the challenge's
/// sender knowing the secret too.
async fn attest(State(s): State<AppState>, body: Bytes) -> Result<Json<AttestAnswer>, Refusal> {
    let challenge = serde_json::from_slice::<AttestRequest>(&body)
        .ok()
        .and_then(|r| attest::parse_challenge(&r.challenge))
        .ok_or_else(|| {
            Refusal::new(ErrorCode::InvalidBody, "The body must be {\"challenge\": \"<64 hex digits>\"}.")
        })?;
    Ok(Json(AttestAnswer { proof: s.secret.proof(&challenge) }))
}

async fn not_found() -> Refusal {
    Refusal::new(
        ErrorCode::NotFound,
        "No such endpoint. The sandbox serves /merchant-registry/v1/…, /keyport/v1/authorize and /keyport/v1/attest.",
    )
}

async fn method_not_allowed() -> Refusal {
    Refusal::new(ErrorCode::MethodNotAllowed, "This endpoint does not take that HTTP method.")
}

fn framework_refusal(status: StatusCode) -> Refusal {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => Refusal::new(
            ErrorCode::PayloadTooLarge,
            "The request body is larger than the endpoint takes (4 KiB for /keyport/v1/authorize, 64 KiB otherwise).",
        ),
        // Anything else axum refuses keeps its own status, with a code.
        _ => Refusal(status, ErrorBody::new(ErrorCode::BadRequest, format!("The request was refused: {status}."))),
    }
}

/// The longest path the log keeps (characters).
const LOGGED_PATH: usize = 200;

/// The method as the log names it: a standard one, else `OTHER` (hyper
/// accepts custom methods of any length; none of them is worth a log row's
/// space).
fn logged_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}

/// Where the authenticator leaves the entitlement for the request log.
#[derive(Clone, Default)]
struct EntitlementSlot(Arc<Mutex<Option<Arc<Entitlement>>>>);

/// Logs every request: time, method, path, the key (when validated), the
/// result.
async fn record(State(log): State<RequestLog>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let at = log.timestamp();
    let method = logged_method(request.method());
    let path = for_log(request.uri().path(), LOGGED_PATH);
    let slot = EntitlementSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    if response.status().as_u16() >= 400 && response.extensions().get::<LoggedCode>().is_none() {
        // Refusals made by axum itself (body too large, …) get the same JSON shape.
        response = framework_refusal(response.status()).into_response();
    }
    let code = response.extensions().get::<LoggedCode>().map(|c| c.0);
    let entitlement = slot.0.lock().expect("slot lock").take();
    log.record(SandboxRequestRecord {
        at,
        method,
        path,
        entitlement,
        status: response.status().as_u16(),
        code,
        duration_us: started.elapsed().as_micros() as i64,
    });
    response
}
