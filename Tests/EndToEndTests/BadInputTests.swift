import Foundation
import Testing

/// Bad input: one clear line on stderr, a non-zero exit, and no file left behind.
@Suite struct BadInputTests {
    func expectRefused(_ args: [String], output: String, containing text: String) throws {
        let r = try Mosquito.run(args)
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(lines.first?.contains(text) == true, "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    func expectRefused(_ args: [String], output: String, exactly line: String) throws {
        let r = try Mosquito.run(args)
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").filter { !$0.isEmpty } == [Substring(line)], "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func badURI() throws {
        let out = temporaryPath("x.csv")
        try expectRefused(["record", "--device", "tcp:1.2.3.4", "--duration", "1", "--output", out], output: out,
                          exactly: "Error: bad device URI 'tcp:1.2.3.4': unknown scheme 'tcp'; expected sim, serial, usb or replay")
    }

    /// `sim:` looks like the other schemes' `scheme:PART`. The line says the simulator takes no such part and where
    /// its options go, naming the URI once (it read "sim:: bad device URI 'sim:': unknown scheme 'sim'; expected
    /// sim, serial, usb or replay").
    @Test(arguments: ["record", "stream"]) func simWithAColonSaysWhatIsWrong(_ command: String) throws {
        let out = temporaryPath("x.csv")
        let output = command == "record" ? ["--output", out] : []
        try expectRefused([command, "--device", "sim:", "--duration", "1"] + output, output: out,
                          exactly: "Error: bad device URI 'sim:': sim takes no ':' part; options go after '?', e.g. sim?channels=8")
        try expectRefused([command, "--device", "sim:?channels=2", "--duration", "1"] + output, output: out,
                          exactly: "Error: bad device URI 'sim:?channels=2': sim takes no ':' part; options go after '?', e.g. sim?channels=8")
    }

    /// A signal for a channel the unit lacks names the option as given and the channels there are (it read
    /// "signal9: no such channel" for `--signal 9:…`, and "signal: no such channel" for `signal=0:…`).
    @Test func simulateSignalForAMissingChannel() throws {
        let out = temporaryPath("x.csv")
        try expectRefused(["simulate", "--pty", "--channels", "2", "--signal", "9:sine:1:1"], output: out,
                          exactly: "Error: --signal '9:sine:1:1': no channel 9; the unit has channels 0-1")
        try expectRefused(["simulate", "--pty", "--channels", "1", "--signal", "0:sine:1:1", "--signal", "1:noise:2"], output: out,
                          exactly: "Error: --signal '1:noise:2': no channel 1; the unit has channel 0")
    }

    @Test func simURISignalOptions() throws {
        let out = temporaryPath("x.csv")
        let record = { (uri: String) in ["record", "--device", uri, "--duration", "1", "--output", out] }
        try expectRefused(record("sim?signal=0:sine:10:5"), output: out,
                          containing: "option 'signal=0:sine:10:5' names no channel: signalN=KIND[:…] sets channel N's signal "
                            + "(channels 0-3), e.g. signal0=sine:10:5")
        try expectRefused(record("sim?channels=2&signal9=sine:1:1"), output: out,
                          containing: "signal9=sine:1:1: no channel 9; the unit has channels 0-1")
        try expectRefused(record("sim?signalx=sine:1:1"), output: out, containing: "option 'signalx=sine:1:1' names no channel")
    }

    @Test func missingDevice() throws {
        let out = temporaryPath("x.csv")
        try expectRefused(["record", "--device", "serial:/dev/ttyACM97", "--duration", "1", "--output", out], output: out, containing: "no such device: /dev/ttyACM97")
    }

    @Test func notASerialPort() throws {
        let out = temporaryPath("x.csv")
        try expectRefused(["info", "--device", "serial:/dev/null"], output: out, containing: "/dev/null is not a serial port")
    }

    @Test func refusedRate() throws {
        let out = temporaryPath("x.h5")
        try expectRefused(["record", "--device", "sim", "--rate", "500000", "--duration", "1", "--output", out], output: out,
                          containing: "rate 500000 Hz is above the instrument's maximum of 100000 Hz")
    }

    @Test(arguments: ["0", "-1", "601", "nan"]) func badBuffer(_ seconds: String) throws {
        let out = temporaryPath("x.h5")
        try expectRefused(["record", "--device", "sim", "--buffer", seconds, "--duration", "1", "--output", out], output: out,
                          containing: "--buffer")
    }

    /// ArgumentParser's own refusals (unknown option, missing value, failed validation) are one line too.
    @Test func usageErrorsAreOneLine() throws {
        let out = temporaryPath("x.h5")
        try expectRefused(["record", "--bogus", "--output", out], output: out, containing: "Unknown option '--bogus'")
        try expectRefused(["record", "--output", out, "--duration"], output: out, containing: "Missing value for '--duration")
        try expectRefused(["record", "--rate", "0", "--output", out], output: out, containing: "--rate must be positive")
        let help = try Mosquito.run(["record", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--buffer"))
    }

    /// `record` and `stream` check `--duration` and `--rate` alike (one option group), before opening anything.
    @Test(arguments: ["record", "stream"]) func durationAndRateAreCheckedAlike(_ command: String) throws {
        let out = temporaryPath("x.csv")
        let output = command == "record" ? ["--output", out] : []
        for (args, message) in [(["--duration", "0"], "--duration must be a positive number of seconds"),
                                (["--duration", "nan"], "--duration must be a positive number of seconds"),
                                (["--rate", "0"], "--rate must be positive"),
                                (["--duration", "1e300"], "--duration × --rate must be fewer than 2^64 samples")] {
            try expectRefused([command, "--device", "sim"] + args + output, output: out, containing: message)
        }
    }

    @Test func unknownChannel() throws {
        let out = temporaryPath("x.csv")
        try expectRefused(["record", "--device", "sim", "--channels", "0,9", "--duration", "1", "--output", out], output: out, containing: "no channel 9")
    }

    @Test func badFilter() throws {
        let out = temporaryPath("x.csv")
        try expectRefused(["record", "--device", "sim", "--filter", "lowpass:4:900", "--rate", "1000", "--duration", "1", "--output", out], output: out, containing: "lowpass")
    }

    @Test func unwritableFile() throws {
        let out = "/proc/mosquito-cannot-write-here.csv"
        try expectRefused(["record", "--device", "sim", "--duration", "1", "--output", out], output: out, containing: out)
        let h5 = "/nonexistent-dir/run.h5"
        try expectRefused(["record", "--device", "sim", "--duration", "1", "--output", h5], output: h5, containing: h5)
    }

    @Test func unknownSimulatorOption() throws {
        let out = temporaryPath("x.csv")
        try expectRefused(["record", "--device", "sim?warp=9", "--duration", "1", "--output", out], output: out, containing: "unknown simulator option 'warp'")
    }
}
