//! The load clients' HTTP: each simulated client owns one keep-alive HTTP/1.1 connection and
//! speaks it with hyper's connection API, as dedicated load generators do (oha, wrk). The server
//! and its clients share this machine's two cores, so every microsecond the client spends is one
//! the server cannot: a pooled general-purpose client (reqwest: URL parsing, pool lookup, its own
//! wrappers) took about a tenth of the HTTP threads' time during the receipts. The server sees the
//! same requests either way.

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request};
use std::net::SocketAddr;

/// One client's connection to the server under test.
pub struct Connection {
    addr: SocketAddr,
    host: HeaderValue,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// A request's bearer token, as the header it is sent in.
pub fn bearer(token: &str) -> anyhow::Result<HeaderValue> {
    Ok(HeaderValue::from_str(&format!("Bearer {token}"))?)
}

impl Connection {
    pub fn new(addr: SocketAddr) -> anyhow::Result<Self> {
        Ok(Self { addr, host: HeaderValue::from_str(&addr.to_string())?, sender: None })
    }

    /// The open connection, opening it (again) when there is none or the server closed it.
    async fn ready(&mut self) -> anyhow::Result<&mut SendRequest<Full<Bytes>>> {
        if let Some(sender) = self.sender.as_mut()
            && sender.ready().await.is_err()
        {
            self.sender = None;
        }
        let sender = match self.sender.take() {
            Some(sender) => sender,
            None => {
                let stream = tokio::net::TcpStream::connect(self.addr).await?;
                stream.set_nodelay(true)?;
                let (sender, connection) =
                    hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                sender
            }
        };
        Ok(self.sender.insert(sender))
    }

    /// Sends one request and reads the whole answer, as a browser or an API client does (an
    /// answer left unread would also cost the connection): its status and body.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        auth: Option<&HeaderValue>,
        json: Option<Bytes>,
    ) -> anyhow::Result<(u16, Bytes)> {
        let mut request = Request::builder().method(method).uri(path).header(HOST, self.host.clone());
        if let Some(auth) = auth {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        if json.is_some() {
            request = request.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let request = request.body(Full::new(json.unwrap_or_default()))?;
        let answer = self.ready().await?.send_request(request).await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(e) => {
                self.sender = None;
                return Err(e.into());
            }
        };
        let status = answer.status().as_u16();
        let body = answer.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }

    /// Whether a request was answered with `status` (its body read through).
    pub async fn answered(
        &mut self,
        method: Method,
        path: &str,
        auth: Option<&HeaderValue>,
        json: Option<Bytes>,
        status: u16,
    ) -> bool {
        matches!(self.send(method, path, auth, json).await, Ok((s, _)) if s == status)
    }
}
