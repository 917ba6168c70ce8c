import Foundation
import Testing

/// `record` maps no library it never uses: libmosquitto (and the OpenSSL it needs) is loaded by the first MQTT
/// client, the archive's back-fill fetches over SwiftNIO instead of FoundationNetworking (libcurl), and HDF5 is
/// linked statically (Debian's shared libhdf5 needs libcurl and OpenSSL for its S3 driver). All of them used to be
/// mapped by every process: resident memory the record soak's 64 MB target counts (README).
@Suite struct UnusedLibrariesTests {
    /// While `record` writes samples, its address space holds the Swift runtime (it is the recorder that was looked
    /// at) and none of the network and TLS libraries.
    @Test func recordingMapsNoNetworkOrTLSLibrary() throws {
        let errPath = temporaryPath("stderr")
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let record = Process()
        record.executableURL = Mosquito.binary
        record.arguments = [
            "record", "--device", "sim?channels=2", "--rate", "1000", "--duration", "600", "--output", temporaryPath("libraries.h5"),
        ]
        record.standardOutput = FileHandle.nullDevice
        record.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try record.run()
        defer {
            if record.isRunning { record.interrupt() }
            record.waitUntilExit()
        }
        // The status line says samples are being written: everything the record path uses is loaded by now.
        let writing = eventually {
            ((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "").contains("samples/s") || !record.isRunning
        }
        try #require(writing && record.isRunning, "\((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")")
        // Read to the end: procfs files say they are empty, and a sized read gets only the first page.
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(record.processIdentifier)/maps"))
        let maps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        let libraries = Set(
            maps.split(separator: "\n").compactMap { line in
                line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).first.map { String($0.split(separator: "/").last ?? $0) }
            })
        #expect(libraries.contains { $0.hasPrefix("libswiftCore") }, "\(libraries.sorted())")
        for unused in ["libmosquitto", "libFoundationNetworking", "libcurl", "libssl", "libcrypto", "libgnutls", "libhdf5"] {
            #expect(!libraries.contains { $0.hasPrefix(unused) }, "\(unused) is mapped by record: \(libraries.sorted())")
        }
    }

    /// A broken libmosquitto.so.1 first on the library path (as good as none: the loader stops at it) does not
    /// touch `record`, and `--publish` then stops before recording with one line naming the package to install.
    @Test func withoutLibmosquittoRecordRecordsAndPublishSaysWhatToInstall() throws {
        let directory = temporaryPath("no-libmosquitto")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/libmosquitto.so.1", contents: Data())
        let environment = ["LD_LIBRARY_PATH": directory]
        let recorded = temporaryPath("without.h5")
        let record = try Mosquito.run(
            ["record", "--device", "sim?channels=2", "--rate", "1000", "--duration", "1", "--output", recorded],
            environment: environment)
        #expect(record.status == 0, "\(record.stderr)")
        #expect(FileManager.default.fileExists(atPath: recorded))

        let published = temporaryPath("published.h5")
        let publish = try Mosquito.run(
            ["record", "--device", "sim?channels=2", "--rate", "1000", "--duration", "1", "--output", published,
             "--publish", "mqtt://127.0.0.1:1/site"],
            environment: environment)
        #expect(publish.status != 0)
        #expect(publish.errorLines.count == 1, "\(publish.stderr)")
        #expect(publish.errorLines.first?.contains("install the Debian package libmosquitto1") == true, "\(publish.stderr)")
        #expect(!FileManager.default.fileExists(atPath: published))
    }
}
