export const id = 23;
export const ids = [23];
export const modules = {

/***/ 9023:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   serveRefreshes: () => (/* binding */ serveRefreshes)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3029);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _flow_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4157);
// The refresh helper: a detached process that serves the job's current credentials on a loopback
// credentials URI and assumes the role again before they expire. Started by start.ts, stopped by the post
// step; it also leaves on its own when the runner is gone or the job's time is up. It logs no secrets.




const WATCH_INTERVAL_MS = 5_000;
// Renew once this share of the session has passed, so consumers that fetch near expiry get fresh credentials.
const RENEW_AT = 0.7;
const MIN_RETRY_MS = 1_000;
function log(message) {
    process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}
function serveRefreshes() {
    process.once('message', (message) => {
        start(message).catch((error) => {
            reply({ ready: false, error: (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .formatFailure */ .M3)(error) });
            process.exit(1);
        });
    });
}
function reply(message) {
    process.send?.(message);
    process.disconnect?.();
}
async function start(init) {
    let current = deserialize(init.credentials);
    const server = (0,node_http__WEBPACK_IMPORTED_MODULE_0__.createServer)((req, res) => {
        if (req.method !== 'GET' || req.url !== init.path) {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
            return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({
            Code: 'Success',
            AccessKeyId: current.accessKeyId,
            AccessKeySecret: current.accessKeySecret,
            SecurityToken: current.securityToken,
            Expiration: current.expiration ? (0,_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .isoSeconds */ .n)(current.expiration) : undefined,
        }));
    });
    const port = await listen(server);
    log(`Serving credentials on 127.0.0.1:${port} until ${new Date(init.exitBy).toISOString()}; credentials expire ${describeExpiry(current)}.`);
    reply({ ready: true, port });
    const stop = (why) => {
        log(`Stopping: ${why}.`);
        server.close();
        server.closeAllConnections();
        process.exit(0);
    };
    process.on('SIGTERM', () => stop('asked to by the post step'));
    process.on('SIGINT', () => stop('interrupted'));
    setInterval(() => {
        if (!isAlive(init.watchPid))
            stop(`the runner process ${init.watchPid} is gone`);
        if (Date.now() >= init.exitBy)
            stop("the job's time is up");
    }, WATCH_INTERVAL_MS);
    const renew = async () => {
        try {
            const result = await (0,_flow_js__WEBPACK_IMPORTED_MODULE_2__/* .runPlan */ .F)(init.plan, {
                env: init.env,
                sts: init.sts,
                timeouts: init.timeouts,
                retry: init.retry,
                onSecret: () => { },
                onRetry: (step, { attempt, maxAttempts, error, waitMs }) => log(`${step}: attempt ${attempt}/${maxAttempts} failed (${error.details.code ?? error.kind}); retrying in ${waitMs} ms.`),
                identifyUnassumed: false,
            });
            current = result.credentials;
            log(`Renewed the credentials; they expire ${describeExpiry(current)}.`);
            schedule(renewDelay(current));
        }
        catch (error) {
            // Keep serving the last good credentials; try again well before they run out.
            const left = (current.expiration?.getTime() ?? Date.now()) - Date.now();
            const wait = Math.max(MIN_RETRY_MS, Math.min(30_000, left / 4));
            log(`Renewal failed, serving the previous credentials; next try in ${Math.round(wait)} ms. ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .formatFailure */ .M3)(error).split('\n')[0]}`);
            schedule(wait);
        }
    };
    const schedule = (ms) => setTimeout(() => void renew(), ms);
    schedule(renewDelay(current));
}
function renewDelay(credentials, now = Date.now()) {
    if (!credentials.expiration)
        return 60 * 60_000;
    return Math.max(MIN_RETRY_MS, (credentials.expiration.getTime() - now) * RENEW_AT);
}
function describeExpiry(credentials) {
    return credentials.expiration ? `at ${(0,_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .isoSeconds */ .n)(credentials.expiration)}` : 'never';
}
function deserialize(credentials) {
    return { ...credentials, expiration: credentials.expiration ? new Date(credentials.expiration) : undefined };
}
function listen(server) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            resolve(typeof address === 'object' && address ? address.port : 0);
        });
    });
}
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}


/***/ })

};
