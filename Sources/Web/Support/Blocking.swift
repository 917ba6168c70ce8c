import Dispatch

/// Device requests block their thread for up to the session's timeout (MWP/1 is request/reply over a serial
/// link). They run on a Dispatch thread so they never hold one of Swift concurrency's few cooperative threads,
/// which the HTTP server and every WebSocket stream share.
func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws(WebError) -> T) async throws(WebError) -> T {
    let result: Result<T, WebError> = await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(returning: Result { () throws(WebError) in try body() })
        }
    }
    return try result.get()
}

func offloaded(_ body: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global(qos: .userInitiated).async {
            body()
            continuation.resume()
        }
    }
}
