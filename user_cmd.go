package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"interophub/catalogue"
)

// userAddConfig is the configuration of "user add".
type userAddConfig struct {
	Data, Email, Name, Role string
	PasswordStdin           bool
}

// parseUserAdd reads the flags of "user add".
func parseUserAdd(args []string, stderr io.Writer) (userAddConfig, error) {
	var cfg userAddConfig
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, "Usage: interophub user add --email ADDRESS --name NAME [--role learner|contributor|moderator|admin] [--password-stdin]\n")
		return cfg, errors.New("usage")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Data, "data", envOr("HUB_DATA", "./data"), "data folder (env HUB_DATA)")
	fs.StringVar(&cfg.Email, "email", "", "e-mail address of the account (required)")
	fs.StringVar(&cfg.Name, "name", "", "name shown on the site (required)")
	fs.StringVar(&cfg.Role, "role", string(catalogue.RoleLearner), "learner, contributor, moderator or admin")
	fs.BoolVar(&cfg.PasswordStdin, "password-stdin", false, "read the password from the first line of standard input instead of a prompt")
	if err := fs.Parse(args[1:]); err != nil {
		return cfg, err
	}
	var problems []string
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if cfg.Email == "" {
		problems = append(problems, "--email is required")
	}
	if cfg.Name == "" {
		problems = append(problems, "--name is required")
	}
	if !catalogue.Role(cfg.Role).Valid() {
		problems = append(problems, fmt.Sprintf("--role %q is not one of learner, contributor, moderator, admin", cfg.Role))
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "user add: %s\n", strings.Join(problems, "; "))
		return cfg, errors.New("usage")
	}
	return cfg, nil
}

// userAdd creates a confirmed account, e.g. the first administrator.
func userAdd(ctx context.Context, cfg userAddConfig, stdin io.Reader, stdout, stderr io.Writer) error {
	password, err := readPassword(cfg.PasswordStdin, stdin, stderr)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.Data)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, catalogue.NewUser{
		Email: cfg.Email, Name: cfg.Name, Password: password, Role: catalogue.Role(cfg.Role), Confirmed: true,
	})
	var ve *catalogue.ValidationError
	switch {
	case errors.As(err, &ve):
		for _, f := range ve.Fields {
			fmt.Fprintf(stderr, "user add: %s: %s\n", f.Field, passwordProblems[f.Problem])
		}
		return errors.New("the account was not created")
	case errors.Is(err, catalogue.ErrEmailTaken):
		return fmt.Errorf("an account with the address %s already exists", cfg.Email)
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "created %s <%s> (%s)\n", u.Name, u.Email, u.Role)
	return nil
}

// passwordProblems explains validation codes on the command line.
var passwordProblems = map[string]string{
	"required":   "is required",
	"format":     "is not an e-mail address",
	"too_short":  fmt.Sprintf("must have at least %d characters", catalogue.PasswordMinLen),
	"too_long":   fmt.Sprintf("must have at most %d characters", catalogue.PasswordMaxLen),
	"common":     "is one of the most common passwords; choose another",
	"like_email": "must not contain the e-mail address",
	"unknown":    "is not a known value",
}

// readPassword reads the password from stdin's first line, or prompts for
// it twice on a terminal without echo.
func readPassword(fromStdin bool, stdin io.Reader, stderr io.Writer) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", errors.New("no terminal to ask for the password: use --password-stdin")
	}
	fmt.Fprint(stderr, "Password: ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(stderr, "Password again: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", err
	}
	if string(first) != string(second) {
		return "", errors.New("the two passwords are not the same")
	}
	return string(first), nil
}
