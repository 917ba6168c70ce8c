import Foundation
import Synchronization

/// Where the outlet says what went wrong on the network side (a query it cannot evaluate, a client sending
/// garbage, a multicast group it could not join). Each distinct message is said once: resolvers repeat the same
/// query every half second, and a log that repeats it says nothing new.
public final class LSLLog: Sendable {
    private let sink: @Sendable (String) -> Void
    private let said = Mutex<Set<String>>([])
    private static let rememberAtMost = 1024

    public init(_ sink: @escaping @Sendable (String) -> Void) { self.sink = sink }

    /// Lines on stderr, prefixed `warning: lsl:`.
    public static let standardError = LSLLog { line in
        FileHandle.standardError.write(Data("warning: lsl: \(line)\n".utf8))
    }

    public func warning(_ message: String) {
        let isNew = said.withLock { seen in
            guard !seen.contains(message) else { return false }
            if seen.count >= Self.rememberAtMost { seen.removeAll() }
            seen.insert(message)
            return true
        }
        if isNew { sink(message) }
    }
}
