//! Throttling of public lookups per client: a small in-process token bucket keyed by the client's
//! address (an IPv6 client by its /64, which one subscriber usually holds whole). A client that
//! guesses codes quickly is slowed down; every other client keeps its own full bucket.
//!
//! The address is the connection's peer, or — only when the installation says a trusted reverse
//! proxy sits in front (`trust_forwarded_for`) — the last address that proxy appended to
//! `X-Forwarded-For`. Trusting the header without a proxy would let anyone pick their own key.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most clients remembered; past it, clients whose bucket has refilled are forgotten first.
const MAX_CLIENTS: usize = 100_000;

/// A token bucket per client: `burst` requests at once, then `per_minute` a minute.
#[derive(Debug)]
pub struct RateLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(burst: u32, per_minute: u32) -> RateLimiter {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            per_second: f64::from(per_minute.max(1)) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client` (`None`: the peer is unknown, all such share one bucket);
    /// `Err` with how long to wait when the bucket is empty.
    pub fn check(&self, client: Option<IpAddr>) -> Result<(), Duration> {
        self.check_at(client, Instant::now())
    }

    pub fn check_at(&self, client: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let key = client.map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), bucket_key);
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&key) {
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate < burst);
            if buckets.len() >= MAX_CLIENTS {
                buckets.clear();
            }
        }
        let (tokens, at) = buckets.entry(key).or_insert((self.burst, now));
        *tokens = (*tokens + now.saturating_duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.per_second))
        }
    }
}

/// An IPv4 address as is; an IPv6 address by its /64 prefix.
fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The client's address as the installation is configured to read it.
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        if state.portal.settings.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .next_back();
            if forwarded.is_some() {
                return Ok(ClientIp(forwarded));
            }
        }
        Ok(ClientIp(peer))
    }
}

/// Seconds to announce in `Retry-After` (at least one).
pub fn retry_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The 429 answer of the API: the error envelope with `rate_limited` and `Retry-After`.
pub struct Throttled(pub Duration);

impl IntoResponse for Throttled {
    fn into_response(self) -> Response {
        let secs = retry_seconds(self.0);
        let mut r = AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Bạn tra cứu quá nhiều lần trong thời gian ngắn; vui lòng thử lại sau {secs} giây"),
        )
        .into_response();
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_refills_and_leaves_others_alone() {
        let limiter = RateLimiter::new(3, 60);
        let t0 = Instant::now();
        let a: IpAddr = "203.0.113.7".parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        let b: IpAddr = "198.51.100.9".parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        for _ in 0..3 {
            assert!(limiter.check_at(Some(a), t0).is_ok());
        }
        let wait = limiter.check_at(Some(a), t0).err();
        assert_eq!(wait.map(retry_seconds), Some(1));
        assert!(limiter.check_at(Some(b), t0).is_ok(), "another client keeps its bucket");
        assert!(limiter.check_at(Some(a), t0 + Duration::from_millis(1100)).is_ok(), "one token a second");
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let limiter = RateLimiter::new(1, 1);
        let t0 = Instant::now();
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap_or(IpAddr::V6(Ipv6Addr::LOCALHOST));
        let same_net: IpAddr = "2001:db8:1:2::ffff".parse().unwrap_or(IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert!(limiter.check_at(Some(one), t0).is_ok());
        assert!(limiter.check_at(Some(same_net), t0).is_err());
    }
}
