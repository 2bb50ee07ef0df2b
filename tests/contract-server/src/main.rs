//! keyrack-contract-server: a TEST server for the v2.0 OS-KSADM EC2 and IAM OS-CREDENTIAL APIs.
//!
//! keyrack-contract-server --port 5100 --keystone http://127.0.0.1:5000/v3
//!     [--allowed-origin http://127.0.0.1:8080]... [--test-routes] [--pid-file FILE]

use keyrack_contract_server::auth::KeystoneAuthenticator;
use keyrack_contract_server::http::{parse_query, Request};
use keyrack_contract_server::{Options, Server, MAX_BODY_BYTES};
use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

struct Args {
    port: u16,
    keystone: String,
    options: Options,
    pid_file: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut port = None;
    let mut keystone = None;
    let mut allowed_origins = Vec::new();
    let mut test_routes = false;
    let mut pid_file = None;
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => port = Some(value()?.parse().map_err(|e| format!("--port: {e}"))?),
            "--keystone" => keystone = Some(value()?),
            "--allowed-origin" => allowed_origins.extend(
                value()?
                    .split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(String::from),
            ),
            "--test-routes" => test_routes = true,
            "--pid-file" => pid_file = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        port: port.ok_or("--port is required")?,
        keystone: keystone.ok_or("--keystone is required")?,
        options: Options {
            allowed_origins,
            test_routes,
        },
        pid_file,
    })
}

fn to_request(request: &mut tiny_http::Request) -> Request {
    let (path, query) = match request.url().split_once('?') {
        Some((path, query)) => (path.to_string(), parse_query(query)),
        None => (request.url().to_string(), Vec::new()),
    };
    let headers = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    // Read one byte past the limit, so an oversized body is seen without reading all of it.
    let mut body = Vec::new();
    let _ = request
        .as_reader()
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body);
    Request {
        method: request.method().as_str().to_ascii_uppercase(),
        path,
        query,
        headers,
        body,
    }
}

fn serve(server: &Server, http: &tiny_http::Server) {
    while let Ok(mut incoming) = http.recv() {
        let request = to_request(&mut incoming);
        let response = server.handle(&request);
        let mut reply =
            tiny_http::Response::from_data(response.body).with_status_code(response.status);
        for (name, value) in &response.headers {
            if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                reply.add_header(header);
            }
        }
        let _ = incoming.respond(reply);
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("keyrack-contract-server: {problem}");
            return ExitCode::from(2);
        }
    };
    let http = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(http) => Arc::new(http),
        Err(e) => {
            eprintln!(
                "keyrack-contract-server: cannot listen on 127.0.0.1:{}: {e}",
                args.port
            );
            return ExitCode::FAILURE;
        }
    };
    if let Some(pid_file) = &args.pid_file {
        if let Err(e) = std::fs::write(pid_file, std::process::id().to_string()) {
            eprintln!("keyrack-contract-server: cannot write {pid_file}: {e}");
            return ExitCode::FAILURE;
        }
    }
    let server = Arc::new(Server::new(
        Box::new(KeystoneAuthenticator::new(&args.keystone)),
        args.options,
    ));
    eprintln!(
        "keyrack-contract-server (a test server) on http://127.0.0.1:{}, tokens validated by {}",
        args.port, args.keystone
    );
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, http) = (Arc::clone(&server), Arc::clone(&http));
            std::thread::spawn(move || serve(&server, &http))
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    ExitCode::SUCCESS
}
