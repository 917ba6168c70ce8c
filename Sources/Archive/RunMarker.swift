import Foundation
import Recording

/// What an archive leaves beside a run's file while it writes it (`<site folder>/.<serial>.open.json`), so that
/// the archive restarted after a crash or a `kill -9` continues the same run instead of starting it over: the
/// rest goes to `<first file's stem>.part2.h5` (then `.part3.h5`, …) from the first index the file lacks, and
/// back-fill brings what the broker no longer has (docs/mqtt.md "Restarting the archive"). Removed when the run
/// closes.
struct RunMarker: Codable, Equatable {
    /// The run's first file; continuations are named after it.
    var firstPath: String
    /// The file being written now.
    var path: String
    var part: Int
    var metaID: String
    var source: EdgeSource?

    static func location(folder: String, serial: String) -> String {
        (folder as NSString).appendingPathComponent(".\(serial).open.json")
    }

    static func read(folder: String, serial: String) -> RunMarker? {
        guard let data = FileManager.default.contents(atPath: location(folder: folder, serial: serial)) else { return nil }
        return try? JSONDecoder().decode(RunMarker.self, from: data)
    }

    /// Written whole or not at all (a rename), so a kill while writing leaves the previous marker.
    func write(folder: String, serial: String) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        let target = Self.location(folder: folder, serial: serial)
        let temporary = target + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        _ = rename(temporary, target)
    }

    static func remove(folder: String, serial: String) {
        try? FileManager.default.removeItem(atPath: location(folder: folder, serial: serial))
    }

    /// Where the run of `metaID` goes on, and from which index, when this marker's run was left unfinished by an
    /// archive that stopped or died and the incoming data lies past its file; nil: a new run.
    func continuation(metaID id: String, firstIncoming: UInt64) -> (path: String, part: Int, startIndex: UInt64)? {
        guard id == metaID, let reader = try? HDF5RecordingReader(path: path), let rows = try? reader.sampleCount(device: 0)
        else { return nil }
        var next: UInt64 = 0
        if rows > 0 {
            guard let last = try? reader.readSamples(device: 0, rows: rows - 1 ..< rows).index.first else { return nil }
            next = last + 1
        }
        guard firstIncoming >= next else { return nil }
        let stem = (firstPath as NSString).deletingPathExtension
        var part = self.part + 1
        while FileManager.default.fileExists(atPath: "\(stem).part\(part).h5") { part += 1 }
        return ("\(stem).part\(part).h5", part, next)
    }
}
