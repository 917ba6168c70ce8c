import Foundation

/// The one folder recordings are written to and downloaded from. Names are plain file names: anything that
/// could reach outside the folder (separators, `..`, hidden files, symlinks pointing out) is refused.
public struct RecordingsFolder: Sendable {
    public let directory: String

    public init(directory: String) throws(WebError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .badConfiguration("cannot create recordings folder \(directory): \(error.localizedDescription)")
        }
        self.directory = Self.realPath(directory) ?? directory
    }

    public struct File: Sendable, Codable, Equatable {
        public var name: String
        public var bytes: Int64
        public var modified: String
    }

    public func list() -> [File] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let formatter = ISO8601DateFormatter()
        return names.filter { Self.isRecordingName($0) }.sorted().compactMap { name in
            guard let path = try? existing(name),
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            else { return nil }
            return File(
                name: name, bytes: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                modified: formatter.string(from: attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)))
        }
    }

    /// Where a new recording called `name` goes; refuses names that exist or that are not plain .h5/.csv names.
    public func newPath(_ name: String) throws(WebError) -> String {
        try Self.validate(name)
        let path = (directory as NSString).appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: path) else { throw .conflict("recording '\(name)' already exists") }
        return path
    }

    /// The path of an existing recording, proven to be inside the folder after resolving links.
    public func existing(_ name: String) throws(WebError) -> String {
        try Self.validate(name)
        let path = (directory as NSString).appendingPathComponent(name)
        guard let real = Self.realPath(path) else { throw .notFound("no recording '\(name)'") }
        guard (real as NSString).deletingLastPathComponent == directory else {
            throw .forbidden("'\(name)' resolves outside the recordings folder")
        }
        return real
    }

    public static func isRecordingName(_ name: String) -> Bool { (try? validate(name)) != nil }

    static func validate(_ name: String) throws(WebError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ allowed.contains($0) }), !name.hasPrefix("."),
            !name.contains(".."), name.hasSuffix(".h5") || name.hasSuffix(".csv")
        else {
            throw .badRequest("recording names are plain file names ending in .h5 or .csv (letters, digits, '-', '_', '.')")
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
