using System.Collections;
using VpnAppliance.Config;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// Configuration mode (Junos/VyOS style): <c>set</c>, <c>delete</c>, <c>show</c> (the candidate),
    /// <c>show | compare</c> (candidate against running), <c>commit</c>, <c>commit confirm &lt;minutes&gt;</c>,
    /// <c>commit check</c>, <c>rollback &lt;n&gt;</c> (load an earlier configuration into the candidate),
    /// <c>discard</c>, <c>run &lt;operational command&gt;</c>, <c>exit</c>.
    /// </summary>
    public sealed class ConfigModeCommands : ICliHandler, ICliCompleter
    {
        private const int Set = 0;
        private const int Delete = 1;
        private const int Show = 2;
        private const int Commit = 3;
        private const int CommitConfirm = 4;
        private const int CommitCheck = 5;
        private const int Rollback = 6;
        private const int Discard = 7;
        private const int Exit = 8;
        private const int Run = 9;
        private const int ExitDiscard = 10;

        /// <summary>Longest <c>commit confirm</c> window in minutes.</summary>
        public const int MaxConfirmMinutes = 60;

        private readonly CliSession _session;
        private readonly int _kind;

        private ConfigModeCommands(CliSession session, int kind)
        {
            _session = session;
            _kind = kind;
        }

        /// <summary>Registers the configuration-mode commands in <paramref name="tree"/>.</summary>
        public static void Register(CliSession session, CommandTree tree)
        {
            tree.Register("set", "set a value in the candidate", "<path> <value>", new ConfigModeCommands(session, Set));
            tree.Register("delete", "delete a subtree of the candidate", "<path>", new ConfigModeCommands(session, Delete));
            tree.Register("show", "show the candidate (secrets masked); 'show | compare' shows the changes", "[| compare]", new ConfigModeCommands(session, Show));
            tree.Register("commit", "validate the candidate and make it the running configuration", null, new ConfigModeCommands(session, Commit));
            tree.Register("commit confirm", "commit; roll back automatically unless confirmed in time", "<1-" + MaxConfirmMinutes.ToString() + " minutes>", new ConfigModeCommands(session, CommitConfirm));
            tree.Register("commit check", "validate the candidate without committing", null, new ConfigModeCommands(session, CommitCheck));
            tree.Register("rollback", "load an earlier committed configuration into the candidate", "<0-" + (session.Settings.RollbackDepth).ToString() + ">", new ConfigModeCommands(session, Rollback));
            tree.Register("discard", "discard the candidate's changes", null, new ConfigModeCommands(session, Discard));
            tree.Register("exit", "leave configuration mode", null, new ConfigModeCommands(session, Exit));
            tree.Register("exit discard", "leave configuration mode and discard the changes", null, new ConfigModeCommands(session, ExitDiscard));
            tree.Register("run", "run an operational command", "<command>", new ConfigModeCommands(session, Run));
        }

        /// <summary>ICliCompleter: configuration paths after set/delete; operational commands after run.</summary>
        public string[] Next(string[] words, int argStart, int count, string partial)
        {
            if (_kind == Set || _kind == Delete)
            {
                ConfigGrammar.Expand(words, argStart);
                return ConfigGrammar.Next(words, argStart, count, partial);
            }

            return new string[0];
        }

        /// <summary>Runs the command.</summary>
        public void Execute(CliCall call)
        {
            switch (_kind)
            {
                case Set:
                    DoSet(call);
                    return;
                case Delete:
                    DoDelete(call);
                    return;
                case Show:
                    DoShow(call);
                    return;
                case Commit:
                    _session.Commit(call.NowMs, 0);
                    return;
                case CommitConfirm:
                    int minutes = ParseSmall(call.Arg(0));
                    if (call.ArgCount != 1 || minutes < 1 || minutes > MaxConfirmMinutes)
                    {
                        call.Usage("<1-" + MaxConfirmMinutes.ToString() + ">");
                        return;
                    }

                    _session.Commit(call.NowMs, minutes);
                    return;
                case CommitCheck:
                    DoCheck(call);
                    return;
                case Rollback:
                    int n = call.ArgCount == 0 ? 0 : ParseSmall(call.Arg(0));
                    string text = n < 0 || call.ArgCount > 1 ? null : _session.Commits.Get(n);
                    if (text == null)
                    {
                        call.Line("% rollback: 0-" + (_session.Commits.Count - 1).ToString() + " exist");
                        return;
                    }

                    _session.Candidate.Load(text);
                    _session.Candidate.SetBase(_session.Host.Running.StorageText);
                    call.Line("rollback " + n.ToString() + " loaded into the candidate; 'show | compare' to review, 'commit' to apply");
                    return;
                case Discard:
                    _session.Candidate.Load(_session.Host.Running.StorageText);
                    call.Line("candidate discarded");
                    return;
                case Exit:
                    if (_session.Candidate.Changed)
                    {
                        call.Line("% the candidate has uncommitted changes (kept); 'exit discard' drops them");
                    }

                    _session.LeaveConfiguration();
                    return;
                case ExitDiscard:
                    _session.Candidate.Load(_session.Host.Running.StorageText);
                    _session.LeaveConfiguration();
                    return;
                case Run:
                    if (call.ArgCount == 0)
                    {
                        call.Usage("<command>");
                        return;
                    }

                    string[] rest = new string[call.ArgCount];
                    for (int i = 0; i < rest.Length; i++)
                    {
                        rest[i] = call.Arg(i);
                    }

                    _session.Dispatch(_session.Operational, rest, call.NowMs);
                    return;
            }
        }

        private void DoSet(CliCall call)
        {
            if (call.ArgCount < 2)
            {
                call.Usage("<path> <value>");
                return;
            }

            string[] words = call.Words;
            ConfigGrammar.Expand(words, call.ArgStart);
            string line = "set " + CliWords.Join(words, call.ArgStart, call.ArgCount);
            ConfigDiagnostic[] errors;
            if (!_session.Candidate.Set(line, out errors))
            {
                for (int i = 0; i < errors.Length; i++)
                {
                    ConfigDiagnostic e = errors[i];
                    call.Line("% '" + e.Token + "': " + e.Rule + ": " + e.Message);
                }
            }
        }

        private void DoDelete(CliCall call)
        {
            if (call.ArgCount < 1)
            {
                call.Usage("<path>");
                return;
            }

            string[] words = call.Words;
            ConfigGrammar.Expand(words, call.ArgStart);
            int removed = _session.Candidate.Delete(words, call.ArgStart, call.ArgCount);
            if (removed == 0)
            {
                call.Line("% nothing to delete at '" + CliWords.Join(words, call.ArgStart, call.ArgCount) + "'");
            }
        }

        private void DoShow(CliCall call)
        {
            bool compare = call.ArgCount == 2 && call.Arg(0) == "|" && "compare".StartsWith(call.Arg(1));
            if (call.ArgCount != 0 && !compare)
            {
                call.Usage("[| compare]");
                return;
            }

            ParseResult candidate = ConfigText.Parse(_session.Candidate.Text, _session.Host.Running.Model.Registry, _session.Host.Running.Model);
            string shown = ConfigText.Print(candidate.Model);
            if (!compare)
            {
                call.Out.Write(shown);
                return;
            }

            string running = ConfigText.Print(_session.Host.Running.Model);
            bool any = WriteDiff(call, running, shown);
            any |= WriteSecretChanges(call, _session.Host.Running.StorageText, _session.Candidate.Text);
            if (!any)
            {
                call.Line("(no changes)");
            }
        }

        // Lines only in the running text with "-", lines only in the candidate with "+" (both are canonical,
        // sorted texts, so a set difference is the diff a reviewer needs).
        private static bool WriteDiff(CliCall call, string running, string candidate)
        {
            string[] a = Statements(running);
            string[] b = Statements(candidate);
            bool any = false;
            for (int i = 0; i < a.Length; i++)
            {
                if (!Contains(b, a[i]))
                {
                    call.Line("- " + a[i]);
                    any = true;
                }
            }

            for (int i = 0; i < b.Length; i++)
            {
                if (!Contains(a, b[i]))
                {
                    call.Line("+ " + b[i]);
                    any = true;
                }
            }

            return any;
        }

        // A changed secret looks the same masked: name the statement as changed without showing either value.
        private static bool WriteSecretChanges(CliCall call, string runningStorage, string candidateStorage)
        {
            string[] a = Statements(runningStorage);
            string[] b = Statements(candidateStorage);
            bool any = false;
            for (int i = 0; i < b.Length; i++)
            {
                string masked = CliSession.MaskSecret(b[i]);
                if (masked == b[i] || Contains(a, b[i]))
                {
                    continue;
                }

                for (int k = 0; k < a.Length; k++)
                {
                    if (CliSession.MaskSecret(a[k]) == masked)
                    {
                        call.Line("! " + masked + "   (secret changed)");
                        any = true;
                        break;
                    }
                }
            }

            return any;
        }

        private static string[] Statements(string text)
        {
            ArrayList list = new ArrayList();
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string l = lines[i].Trim();
                if (l.Length > 0 && l[0] != '#')
                {
                    list.Add(l);
                }
            }

            string[] r = new string[list.Count];
            list.CopyTo(r);
            return r;
        }

        private static bool Contains(string[] list, string s)
        {
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] == s)
                {
                    return true;
                }
            }

            return false;
        }

        private void DoCheck(CliCall call)
        {
            ParseResult r = ConfigText.Parse(_session.Candidate.Text, _session.Host.Running.Model.Registry, _session.Host.Running.Model);
            DiagnosticList extra = new DiagnosticList();
            if (r.Ok)
            {
                VpnAppliance.Config.Validation.CommitValidation.Check(r.Model, _session.Settings.Limits, extra);
            }

            ConfigDiagnostic[] errors = r.Ok ? extra.Errors() : r.Errors;
            _session.PrintDiagnostics(errors, "error", _session.Candidate);
            _session.PrintDiagnostics(r.Warnings, "warning");
            _session.PrintDiagnostics(extra.Warnings(), "warning");
            call.Line(errors.Length == 0 ? "configuration check succeeds" : "% configuration check fails: " + errors.Length.ToString() + " error(s)");
        }

        private static int ParseSmall(string s)
        {
            if (s == null || s.Length == 0 || s.Length > 6)
            {
                return -1;
            }

            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return -1;
                }

                n = n * 10 + (s[i] - '0');
            }

            return n;
        }
    }
}
