import MWP

// MWP and Recording both name a `CalibrationRecord` (and a `SampleBlock`), and MWP's module shares its name
// with its `MWP` constants enum, so `MWP.CalibrationRecord` cannot be spelled. Files that import both say
// which one they mean through this name.
typealias WireCalibrationRecord = CalibrationRecord
