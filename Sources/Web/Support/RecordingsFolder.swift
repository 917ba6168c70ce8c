import Foundation

/// The one folder recordings are written to and downloaded from. Names are plain file names: anything that
/// could reach outside the folder (separators, `..`, hidden files, symlinks pointing out) is refused.
public struct RecordingsFolder: Sendable {
    public let directory: String
    /// An MQTT archive's folder (`serve --archive DIR`, docs/mqtt.md): its files, `DIR/SITE/FILE.h5`, are listed and
    /// read (never written) as `archive.SITE.FILE.h5`, beside the local recordings.
    public let archive: String?
    public static let archivePrefix = "archive."

    public init(directory: String, archive: String? = nil) throws(WebError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .badConfiguration("cannot create recordings folder \(directory): \(error.localizedDescription)")
        }
        self.directory = Self.realPath(directory) ?? directory
        if let archive {
            guard let real = Self.realPath(archive) else { throw .badConfiguration("no archive folder \(archive)") }
            self.archive = real
        } else {
            self.archive = nil
        }
    }

    public struct File: Sendable, Codable, Equatable {
        public var name: String
        public var bytes: Int64
        public var modified: String
    }

    public func list() -> [File] {
        let local = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(Self.archivePrefix) }
        let names = local + archived().map(\.name)
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
        guard !name.hasPrefix(Self.archivePrefix) else { throw .badRequest("names starting '\(Self.archivePrefix)' are the archive's") }
        let path = (directory as NSString).appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: path) else { throw .conflict("recording '\(name)' already exists") }
        return path
    }

    /// The archive's recordings: each site folder's `.h5` files, by the name they are served under.
    func archived() -> [(name: String, path: String)] {
        guard let archive else { return [] }
        let sites = ((try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return sites.flatMap { site in
            let folder = (archive as NSString).appendingPathComponent(site)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".h5") }.sorted()
            return files.map { ("\(Self.archivePrefix)\(site).\($0)", (folder as NSString).appendingPathComponent($0)) }
                .filter { Self.isRecordingName($0.0) }
        }
    }

    /// The path of an existing recording, proven to be inside the folder (or the archive's site folders) after
    /// resolving links.
    public func existing(_ name: String) throws(WebError) -> String {
        try Self.validate(name)
        if name.hasPrefix(Self.archivePrefix), let archive {
            guard let hit = archived().first(where: { $0.name == name }), let real = Self.realPath(hit.path) else {
                throw .notFound("no recording '\(name)'")
            }
            guard ((real as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent == archive else {
                throw .forbidden("'\(name)' resolves outside the archive folder")
            }
            return real
        }
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
