// Package hostile runs the hostile-input corpus of testdata/hostile through
// the example programs. It holds the generator of large inputs (Recipe);
// its test (go test ./examples/internal/hostile) builds each program that
// a case names once,
// runs every case of every testdata/hostile/*/cases.tsv with its time and
// memory bounds, and fails a case that exits with another status, runs too
// long, uses too much memory or panics. testdata/hostile/README.md
// describes the format of the cases and of the recipes (NAME.gen) that
// generate large inputs.
package hostile
