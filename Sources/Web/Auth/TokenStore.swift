import Crypto
import Foundation

/// Bearer tokens per agent, kept as SHA-256 digests in a JSON file only its owner can read (0600).
/// The secret itself is shown once, when created, and never stored.
public struct TokenStore: Sendable {
    public struct Entry: Sendable, Codable, Equatable {
        public var agent: String
        public var role: Role
        /// Hex SHA-256 of the token.
        public var sha256: String
        public var createdAt: String
    }

    public let path: String
    public private(set) var entries: [Entry]

    /// Reads `path`; a missing file is an empty store.
    public init(path: String) throws(WebError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            entries = []
            return
        }
        do {
            entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .badConfiguration("cannot read tokens file \(path): \(error)")
        }
    }

    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("mosquito/web-tokens.json")
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Creates a token for `agent`, saves its digest, and returns the secret (to be shown once).
    public mutating func create(agent: String, role: Role, now: Date = Date()) throws(WebError) -> String {
        guard !agent.isEmpty, agent.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw .badRequest("agent id must be letters, digits, '-', '_' or '.'")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = rng.next() }
        let secret = "mq_" + bytes.map { String(format: "%02x", $0) }.joined()
        entries.append(Entry(agent: agent, role: role, sha256: Self.digest(secret),
                             createdAt: ISO8601DateFormatter().string(from: now)))
        try save()
        return secret
    }

    /// The principal a presented token belongs to, or nil.
    public func principal(for token: String) -> Principal? {
        let digest = Self.digest(token)
        // Compare every entry so timing says nothing about which prefix matched.
        var found: Entry?
        for e in entries where Self.constantTimeEqual(e.sha256, digest) { found = e }
        return found.map { Principal(agent: $0.agent, role: $0.role) }
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    private func save() throws(WebError) {
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(entries)
            // Write beside, restrict, then rename: the secrets never exist in a world-readable file.
            let temporary = path + ".tmp"
            guard fm.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw WebError.badConfiguration("cannot write \(temporary)")
            }
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
            try fm.moveItem(atPath: temporary, toPath: path)
        } catch let error as WebError {
            throw error
        } catch {
            throw .badConfiguration("cannot save tokens to \(path): \(error)")
        }
    }
}
