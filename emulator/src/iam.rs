//! The IAM side: `POST /v3/auth/tokens` (password and assume_role), `GET /v3/auth/tokens`
//! (validate), `GET /v3/auth/domains`, and temporary access keys
//! (`POST /v3.0/OS-CREDENTIAL/securitytokens`, by agency or by token), which then sign BSS calls
//! with their security token.

use serde_json::{json, Value};

use crate::auth::{self, Principal, Refusal, TempKey, Token};
use crate::error::ApiError;
use crate::server::{Incoming, Reply, Shared};
use crate::util::iam_time;

/// Which IAM call a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IamOp {
    CreateToken,
    ValidateToken,
    ListDomains,
    TemporaryKey,
}

/// The IAM operations this module serves.
pub const OPS: &[&str] = &[
    "keystone_create_user_token_by_password",
    "keystone_create_agency_token",
    "keystone_list_auth_domains",
    "keystone_validate_token",
    "create_temporary_access_key_by_agency",
    "create_temporary_access_key_by_token",
];

/// The operation name a temporary-key request is counted under.
pub fn temp_key_op_name(body: &[u8]) -> &'static str {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let methods = v
        .pointer("/auth/identity/methods")
        .and_then(Value::as_array);
    if methods.is_some_and(|m| m.iter().any(|x| x == "token")) {
        "create_temporary_access_key_by_token"
    } else {
        "create_temporary_access_key_by_agency"
    }
}

/// The operation name a token request is counted under.
pub fn token_op_name(body: &[u8]) -> &'static str {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let methods = v
        .pointer("/auth/identity/methods")
        .and_then(Value::as_array);
    if methods.is_some_and(|m| m.iter().any(|x| x == "assume_role")) {
        "keystone_create_agency_token"
    } else {
        "keystone_create_user_token_by_password"
    }
}

fn bad_request(msg: &str) -> Refusal {
    Refusal {
        error: ApiError::keystone(400, "Bad Request", msg),
        reason: msg.to_owned(),
    }
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> Option<&'a str> {
    v.pointer(ptr)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

pub fn handle(shared: &Shared, op: IamOp, req: &Incoming<'_>) -> Result<Reply, Refusal> {
    match op {
        IamOp::CreateToken => create_token(shared, req),
        IamOp::ValidateToken => validate_token(shared, req),
        IamOp::ListDomains => list_domains(shared, req),
        IamOp::TemporaryKey => temporary_key(shared, req),
    }
}

/// The `token` body: an assume_role token as `keystone_create_agency_token` answers it (the user
/// is the agency, `assumed_by` the partner's user); any other, and every validation, in the
/// password-token shape.
fn token_body(t: &Token, as_issued: bool) -> Value {
    let agency = as_issued && t.assumed_by.is_some();
    let mut user = json!({"id": t.user_id, "name": t.user_name, "domain": {"id": t.domain_id, "name": t.domain_name}});
    if !agency {
        user["password_expires_at"] = json!("");
    }
    let mut token = json!({
        "methods": t.methods,
        "expires_at": iam_time(t.expires_at),
        "issued_at": iam_time(t.issued_at),
        "user": user,
        "domain": {"id": t.domain_id, "name": t.domain_name},
        "roles": [{"id": "0", "name": if t.assumed_by.is_some() { "op_service" } else { "te_admin" }}],
        "catalog": [],
    });
    if let (true, Some((id, name))) = (agency, &t.assumed_by) {
        token["assumed_by"] = json!({"user": {"id": id, "name": name, "password_expires_at": "", "domain": {"id": t.domain_id, "name": t.domain_name}}});
    }
    json!({"token": token})
}

fn issue(shared: &Shared, mut t: Token) -> Reply {
    let now = shared.now_secs();
    t.issued_at = now;
    t.expires_at = now + shared.opts.token_ttl.as_secs().max(1) as i64;
    let value = auth::new_token_value();
    crate::issued::record(&value);
    let body = token_body(&t, true);
    let mut tokens = shared.tokens.lock().unwrap_or_else(|p| p.into_inner());
    tokens.retain(|_, old| old.expires_at > now - 86_400);
    tokens.insert(value.clone(), t);
    Reply {
        status: 201,
        body: Some(body),
        headers: vec![("X-Subject-Token", value)],
    }
}

fn create_token(shared: &Shared, req: &Incoming<'_>) -> Result<Reply, Refusal> {
    let v: Value = serde_json::from_slice(req.body)
        .map_err(|_| bad_request("The request body is not valid JSON."))?;
    let methods: Vec<String> = v
        .pointer("/auth/identity/methods")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if methods.iter().any(|m| m == "assume_role") {
        return assume_role(shared, req, &v);
    }
    if !methods.iter().any(|m| m == "password") {
        return Err(bad_request(
            "auth.identity.methods must be [\"password\"] or [\"assume_role\"].",
        ));
    }
    let user = str_at(&v, "/auth/identity/password/user/name")
        .ok_or_else(|| bad_request("auth.identity.password.user.name is required."))?;
    let password = str_at(&v, "/auth/identity/password/user/password")
        .ok_or_else(|| bad_request("auth.identity.password.user.password is required."))?;
    let domain = str_at(&v, "/auth/identity/password/user/domain/name")
        .ok_or_else(|| bad_request("auth.identity.password.user.domain.name is required."))?;
    let wrong = || Refusal {
        error: ApiError::keystone(401, "Unauthorized", "The username or password is wrong."),
        reason: format!("wrong user name, password or domain for user {user} in {domain}"),
    };
    let c = &shared.creds;
    let token = if user == c.user_name && domain == c.domain_name {
        if password != c.password {
            return Err(wrong());
        }
        Token {
            principal: Principal::Partner,
            methods,
            issued_at: 0,
            expires_at: 0,
            user_id: format!("{}-user", c.domain_id),
            user_name: user.to_owned(),
            domain_id: c.domain_id.clone(),
            domain_name: c.domain_name.clone(),
            assumed_by: None,
        }
    } else {
        let st = shared.state.lock().unwrap_or_else(|p| p.into_inner());
        let cust = st
            .customers
            .iter()
            .find(|x| x.name == domain && x.name == user && x.password.as_deref() == Some(password))
            .ok_or_else(wrong)?;
        Token {
            principal: Principal::Customer(cust.id.clone()),
            methods,
            issued_at: 0,
            expires_at: 0,
            user_id: format!("{}-user", cust.id),
            user_name: user.to_owned(),
            domain_id: cust.id.clone(),
            domain_name: cust.name.clone(),
            assumed_by: None,
        }
    };
    if let Some(scope) = str_at(&v, "/auth/scope/domain/name") {
        if scope != token.domain_name {
            return Err(Refusal {
                error: ApiError::keystone(
                    401,
                    "Unauthorized",
                    "The scope is not the user's domain.",
                ),
                reason: format!("scope {scope} is not the domain of user {user}"),
            });
        }
    }
    Ok(issue(shared, token))
}

fn assume_role(shared: &Shared, req: &Incoming<'_>, v: &Value) -> Result<Reply, Refusal> {
    let caller = auth::authenticate(shared, req, false)?;
    if caller != Principal::Partner {
        return Err(Refusal {
            error: ApiError::keystone(403, "Forbidden", "You have no right to do this action."),
            reason: "assume_role by a customer token".to_owned(),
        });
    }
    let agency = str_at(v, "/auth/identity/assume_role/agency_name")
        .ok_or_else(|| bad_request("auth.identity.assume_role.agency_name is required."))?;
    let by_id = str_at(v, "/auth/identity/assume_role/domain_id");
    let by_name = str_at(v, "/auth/identity/assume_role/domain_name");
    if by_id.is_none() && by_name.is_none() {
        return Err(bad_request(
            "auth.identity.assume_role needs domain_id or domain_name.",
        ));
    }
    let st = shared.state.lock().unwrap_or_else(|p| p.into_inner());
    let own = &st.partner.domain_id;
    let target = by_id.or(by_name).unwrap_or_default();
    let cust = st
        .customers
        .iter()
        .find(|c| by_id.is_none_or(|id| c.id == id) && by_name.is_none_or(|n| c.name == n))
        .filter(|c| &c.owner == own && c.agency && agency == shared.creds.agency_name);
    let Some(cust) = cust else {
        return Err(Refusal {
            error: ApiError::keystone(404, "Not Found", format!("Could not find agency {agency} in domain {target}.")),
            reason: format!("domain {target} has no agency {agency} for this partner (not a resale customer of it, or a wrong agency name)"),
        });
    };
    let token = Token {
        principal: Principal::Customer(cust.id.clone()),
        methods: vec!["assume_role".to_owned()],
        issued_at: 0,
        expires_at: 0,
        user_id: format!("{}-{agency}", cust.id),
        user_name: format!("{}/{agency}", cust.name),
        domain_id: cust.id.clone(),
        domain_name: cust.name.clone(),
        assumed_by: Some((
            format!("{}-user", shared.creds.domain_id),
            shared.creds.user_name.clone(),
        )),
    };
    drop(st);
    Ok(issue(shared, token))
}

fn validate_token(shared: &Shared, req: &Incoming<'_>) -> Result<Reply, Refusal> {
    auth::authenticate(shared, req, false)?;
    let subject = req
        .header("x-subject-token")
        .ok_or_else(|| bad_request("X-Subject-Token is required."))?;
    let t = auth::token_principal(shared, subject).map_err(|r| Refusal {
        error: ApiError::keystone(404, "Not Found", "Could not find token."),
        reason: r.reason,
    })?;
    Ok(Reply {
        status: 200,
        body: Some(token_body(&t, false)),
        headers: vec![("X-Subject-Token", subject.to_owned())],
    })
}

fn list_domains(shared: &Shared, req: &Incoming<'_>) -> Result<Reply, Refusal> {
    let who = auth::authenticate(shared, req, false)?;
    let (id, name) = match who {
        Principal::Partner => (
            shared.creds.domain_id.clone(),
            shared.creds.domain_name.clone(),
        ),
        Principal::Customer(id) => {
            let st = shared.state.lock().unwrap_or_else(|p| p.into_inner());
            let name = st
                .customers
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            (id, name)
        }
    };
    let body = json!({"domains": [{"id": id, "name": name, "enabled": true, "description": ""}], "links": {"self": "/v3/auth/domains"}});
    Ok(Reply {
        status: 200,
        body: Some(body),
        headers: Vec::new(),
    })
}

/// `create_temporary_access_key_by_agency` (the partner acts for a resale customer, as with an
/// assume_role token) and `create_temporary_access_key_by_token` (the caller's own identity).
/// The body is checked with the client's validator; the key lives `duration_seconds` (900 by
/// default, as IAM's).
fn temporary_key(shared: &Shared, req: &Incoming<'_>) -> Result<Reply, Refusal> {
    let name = temp_key_op_name(req.body);
    let v: Value = serde_json::from_slice(req.body)
        .map_err(|_| bad_request("The request body is not valid JSON."))?;
    if let Some(op) = hcpartner::generated::find_operation(name) {
        crate::params::check(op, &v, shared.opts.site).map_err(|e| bad_request(&e.msg))?;
    }
    let caller = auth::authenticate(shared, req, false)?;
    let (principal, duration) = if name == "create_temporary_access_key_by_token" {
        let principal = match str_at(&v, "/auth/identity/token/id") {
            Some(t) => auth::token_principal(shared, t)?.principal,
            None => caller,
        };
        (
            principal,
            v.pointer("/auth/identity/token/duration_seconds"),
        )
    } else {
        if caller != Principal::Partner {
            return Err(Refusal {
                error: ApiError::keystone(403, "Forbidden", "You have no right to do this action."),
                reason: "a temporary key by agency requested by a customer".to_owned(),
            });
        }
        let agency = str_at(&v, "/auth/identity/assume_role/agency_name").unwrap_or_default();
        let by_id = str_at(&v, "/auth/identity/assume_role/domain_id");
        let by_name = str_at(&v, "/auth/identity/assume_role/domain_name");
        let st = shared.state.lock().unwrap_or_else(|p| p.into_inner());
        let own = &st.partner.domain_id;
        let cust = st
            .customers
            .iter()
            .find(|c| {
                (by_id.is_some() || by_name.is_some())
                    && by_id.is_none_or(|id| c.id == id)
                    && by_name.is_none_or(|n| c.name == n)
            })
            .filter(|c| &c.owner == own && c.agency && agency == shared.creds.agency_name)
            .map(|c| c.id.clone());
        drop(st);
        let Some(id) = cust else {
            let target = by_id.or(by_name).unwrap_or("?");
            return Err(Refusal {
                error: ApiError::keystone(
                    404,
                    "Not Found",
                    format!("Could not find agency {agency} in domain {target}."),
                ),
                reason: format!("domain {target} has no agency {agency} for this partner"),
            });
        };
        (
            Principal::Customer(id),
            v.pointer("/auth/identity/assume_role/duration_seconds"),
        )
    };
    let now = shared.now_secs();
    let expires_at = now + duration.and_then(Value::as_i64).unwrap_or(900).max(1);
    let access = crate::util::hex_id(10).to_ascii_uppercase();
    let key = TempKey {
        secret: crate::util::hex_id(20),
        token: format!("gQpzZWNyZXRfdG9rZW4{}", crate::util::hex_id(64)),
        expires_at,
        principal,
    };
    crate::issued::record(&key.secret);
    crate::issued::record(&key.token);
    let body = json!({"credential": {
        "access": access,
        "secret": key.secret,
        "securitytoken": key.token,
        "expires_at": iam_time(expires_at),
    }});
    let mut keys = shared.temp_keys.lock().unwrap_or_else(|p| p.into_inner());
    keys.retain(|_, k| k.expires_at > now);
    keys.insert(access, key);
    Ok(Reply {
        status: 201,
        body: Some(body),
        headers: Vec::new(),
    })
}
