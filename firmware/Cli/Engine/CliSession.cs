using System.Collections;
using VpnAppliance.Cli.Login;
using VpnAppliance.Cli.Store;
using VpnAppliance.Config;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Cli
{
    /// <summary>
    /// One console session: login, the line editor, operational and configuration modes.
    ///
    /// Flow: bytes from the serial port go to <see cref="Feed"/> (the appliance hands over raw bytes, so the
    /// editor sees escapes, Tab and '?'); <see cref="Poll"/> runs the time-driven parts (back-off and lockout
    /// end, inactivity timeout, the automatic rollback of <c>commit confirm</c>) and returns the next deadline.
    ///
    /// States: login (user name, then password with echo off; the factory password forces a new one, typed
    /// twice, before the shell), shell (a line resolves in the tree of the current mode), and the short
    /// questions a command may ask (yes/no, the password again before secrets are shown).
    ///
    /// Commands: <see cref="Operational"/> holds the operational tree (built-ins from
    /// <see cref="OperationalCommands"/>; the appliance and the engines register theirs), the configuration
    /// tree is <see cref="ConfigModeCommands"/>.
    /// </summary>
    public sealed class CliSession
    {
        /// <summary>Deadline meaning "nothing scheduled".</summary>
        public const long Never = long.MaxValue;

        private const int StateUser = 0;
        private const int StatePassword = 1;
        private const int StateNewPassword = 2;
        private const int StateRepeatPassword = 3;
        private const int StateShell = 4;
        private const int StateConfirm = 5;
        private const int StateReauth = 6;

        private readonly CliSettings _settings;
        private readonly CliOutput _out;
        private readonly ICliHost _host;
        private readonly ConfigStore _store;
        private readonly IMac _hmac;
        private readonly IEntropySource _entropy;
        private readonly LineEditor _editor;
        private readonly CommandHistory _history;
        private readonly CommandTree _operational;
        private readonly CommandTree _configuration;
        private readonly CandidateConfig _candidate;
        private readonly CommitHistory _commits;
        private readonly LoginGuard _guard;
        private StoredState _stored;
        private PasswordHash _password;
        private int _state;
        private bool _configMode;
        private string _typedUser;
        private string _newPassword;
        private long _lastInputMs;
        private ICliHandler _pending;
        private CliCall _pendingCall;
        private ICliBackground _background;
        private long _confirmDeadline = Never;
        private string _confirmRollbackText;
        private bool _started;
        private bool _halted;

        /// <summary>
        /// A session writing to <paramref name="output"/>, configuring <paramref name="host"/>, persisting in
        /// <paramref name="store"/> (may be null: <c>save</c> then fails). <paramref name="hmac"/> (HMAC-SHA256)
        /// and <paramref name="entropy"/> hash passwords; both may be null when login is off.
        /// </summary>
        public CliSession(CliSettings settings, ISerialPort output, ICliHost host, ConfigStore store, IMac hmac, IEntropySource entropy)
        {
            _settings = settings;
            _out = new CliOutput(output);
            _host = host;
            _store = store;
            _hmac = hmac;
            _entropy = entropy;
            _editor = new LineEditor(settings.MaxLine, _out);
            _history = new CommandHistory(settings.HistoryLines);
            _operational = new CommandTree();
            _configuration = new CommandTree();
            _candidate = new CandidateConfig(settings.CandidateLines);
            _commits = new CommitHistory(settings.RollbackDepth + 1);
            _guard = new LoginGuard();
            _stored = store == null ? new StoredState() : StoredState.Load(store);
            _password = PasswordHash.Parse(_stored.PasswordHash);
            _commits.Push(host.Running.StorageText, 0);
            OperationalCommands.Register(this, _operational);
            ConfigModeCommands.Register(this, _configuration);
        }

        /// <summary>The operational command tree: register commands here (see <see cref="CommandTree"/>).</summary>
        public CommandTree Operational { get { return _operational; } }

        /// <summary>The configuration-mode command tree.</summary>
        public CommandTree Configuration { get { return _configuration; } }

        /// <summary>Output to the console.</summary>
        public CliOutput Out { get { return _out; } }

        /// <summary>The box being configured.</summary>
        public ICliHost Host { get { return _host; } }

        /// <summary>Settings.</summary>
        public CliSettings Settings { get { return _settings; } }

        /// <summary>The candidate configuration (configuration mode).</summary>
        public CandidateConfig Candidate { get { return _candidate; } }

        /// <summary>Committed configurations for rollback.</summary>
        public CommitHistory Commits { get { return _commits; } }

        /// <summary>The store (null when the board has none).</summary>
        public ConfigStore Store { get { return _store; } }

        /// <summary>What the store held at boot / last save.</summary>
        public StoredState Stored { get { return _stored; } }

        /// <summary>Login failures and lockout.</summary>
        public LoginGuard Guard { get { return _guard; } }

        /// <summary>True once logged in (or when login is off).</summary>
        public bool LoggedIn { get { return _state >= StateShell; } }

        /// <summary>True in configuration mode.</summary>
        public bool InConfigurationMode { get { return _configMode; } }

        /// <summary>True while a <c>commit confirm</c> waits for its confirmation.</summary>
        public bool ConfirmPending { get { return _confirmDeadline != Never; } }

        /// <summary>True while no password has been set (the factory password is in force).</summary>
        public bool FactoryPassword { get { return _password == null; } }

        /// <summary>Prints the first prompt (login or shell).</summary>
        public void Start(long nowMs)
        {
            _started = true;
            _lastInputMs = nowMs;
            if (_settings.LoginRequired)
            {
                _state = StateUser;
                _out.Write("\n" + HostName() + " login: ");
                _editor.Prompt = HostName() + " login: ";
            }
            else
            {
                _state = StateShell;
                Prompt();
            }
        }

        /// <summary>Feeds console bytes.</summary>
        public void Feed(byte[] buffer, int offset, int count, long nowMs)
        {
            if (!_started)
            {
                Start(nowMs);
            }

            for (int i = 0; i < count && !_halted; i++)
            {
                _lastInputMs = nowMs;
                EditEvent e = _editor.Feed(buffer[offset + i]);
                if (e != EditEvent.None)
                {
                    OnEvent(e, nowMs);
                }
            }
        }

        /// <summary>True after <see cref="Halt"/>.</summary>
        public bool Halted { get { return _halted; } }

        /// <summary>
        /// Stops the session for a reload: input after the confirming line is not read (a board resets at
        /// once; the host runner restarts the appliance) and no prompt is printed.
        /// </summary>
        public void Halt()
        {
            _halted = true;
        }

        /// <summary>Runs what is due; returns the next deadline.</summary>
        public long Poll(long nowMs)
        {
            if (!_started)
            {
                Start(nowMs);
            }

            if (_halted)
            {
                return Never;
            }

            long next = Never;
            if (_confirmDeadline != Never)
            {
                if (nowMs >= _confirmDeadline)
                {
                    ConfirmTimedOut(nowMs);
                }
                else
                {
                    next = _confirmDeadline;
                }
            }

            if (_background != null && !_background.Active)
            {
                _background = null;
                Prompt();
            }

            if (_settings.LoginRequired && _state >= StateShell && _settings.InactivityTimeoutMs > 0)
            {
                long end = _lastInputMs + _settings.InactivityTimeoutMs;
                if (nowMs >= end)
                {
                    _out.Write("\n% session timed out after " + (_settings.InactivityTimeoutMs / 1000).ToString() + " s without input\n");
                    Logout(nowMs);
                }
                else if (end < next)
                {
                    next = end;
                }
            }

            return next;
        }

        private void OnEvent(EditEvent e, long nowMs)
        {
            if (_background != null)
            {
                if (e == EditEvent.Interrupt)
                {
                    _background.Abort(nowMs);
                    _background = null;
                    Prompt();
                }

                _editor.Clear();
                return;
            }

            switch (e)
            {
                case EditEvent.Enter:
                    string line = _editor.Text;
                    _editor.Clear();
                    OnLine(line, nowMs);
                    break;
                case EditEvent.Interrupt:
                    if (_state == StateConfirm || _state == StateReauth || _state == StateNewPassword || _state == StateRepeatPassword)
                    {
                        _state = _state >= StateShell ? StateShell : StateUser;
                        if (_state == StateUser)
                        {
                            Start(nowMs);
                            return;
                        }
                    }

                    PromptForState();
                    break;
                case EditEvent.EndOfInput:
                    if (_state == StateShell && !_configMode)
                    {
                        _out.Write("\n");
                        Logout(nowMs);
                    }

                    break;
                case EditEvent.HistoryUp:
                case EditEvent.HistoryDown:
                    if (_state == StateShell)
                    {
                        string h = e == EditEvent.HistoryUp ? _history.Older() : _history.Newer();
                        if (h != null)
                        {
                            _editor.SetText(h);
                        }
                    }

                    break;
                case EditEvent.Help:
                    if (_state == StateShell)
                    {
                        _out.Write("?\n");
                        ShowHelp(_editor.Text);
                        _editor.Redraw();
                    }

                    break;
                case EditEvent.Complete:
                    if (_state == StateShell)
                    {
                        Complete(nowMs);
                    }

                    break;
            }
        }

        private void OnLine(string line, long nowMs)
        {
            switch (_state)
            {
                case StateUser:
                    _typedUser = line.Trim();
                    if (_typedUser.Length == 0)
                    {
                        PromptForState();
                        return;
                    }

                    _state = StatePassword;
                    PromptForState();
                    return;
                case StatePassword:
                    CheckLogin(line, nowMs);
                    return;
                case StateNewPassword:
                    if (line.Length < PasswordHash.MinPasswordLength || line == PasswordHash.FactoryPassword)
                    {
                        _out.Line("% the new password needs at least " + PasswordHash.MinPasswordLength.ToString() + " characters and must not be the factory password");
                        PromptForState();
                        return;
                    }

                    _newPassword = line;
                    _state = StateRepeatPassword;
                    PromptForState();
                    return;
                case StateRepeatPassword:
                    if (line != _newPassword)
                    {
                        _out.Line("% the passwords differ");
                        _state = StateNewPassword;
                        PromptForState();
                        return;
                    }

                    SetPassword(_newPassword);
                    _newPassword = null;
                    _state = StateShell;
                    Prompt();
                    return;
                case StateConfirm:
                    _state = StateShell;
                    string answer = line.Trim();
                    if (answer == "yes" || answer == "y")
                    {
                        ICliHandler h = _pending;
                        _pending = null;
                        _pendingCall.NowMs = nowMs;
                        h.Execute(_pendingCall);
                    }
                    else
                    {
                        _out.Line("% not done");
                    }

                    _pending = null;
                    if (_state == StateShell && _background == null && !_halted)
                    {
                        Prompt();
                    }

                    return;
                case StateReauth:
                    _editor.Echo = true;
                    _state = StateShell;
                    if (_guard.Blocked(nowMs) || !PasswordMatches(line))
                    {
                        _guard.Failed(nowMs);
                        _out.Line("% authentication failed");
                    }
                    else
                    {
                        ICliHandler h = _pending;
                        _pending = null;
                        _pendingCall.NowMs = nowMs;
                        h.Execute(_pendingCall);
                    }

                    _pending = null;
                    Prompt();
                    return;
            }

            Execute(line, nowMs);
            if (_state == StateShell && _background == null && !_halted)
            {
                Prompt();
            }
        }

        /// <summary>Runs one line in the current mode as if typed (also used by <c>run</c> and tests).</summary>
        public void Execute(string line, long nowMs)
        {
            _history.Add(MaskSecret(line.Trim()));
            string[] words = CliWords.Split(line);
            if (words.Length == 0 || words[0][0] == '#')
            {
                return;
            }

            Dispatch(_configMode ? _configuration : _operational, words, nowMs);
        }

        /// <summary>Resolves and runs <paramref name="words"/> in <paramref name="tree"/>, printing why it cannot.</summary>
        public void Dispatch(CommandTree tree, string[] words, long nowMs)
        {
            CommandMatch m = tree.Resolve(words);
            switch (m.Status)
            {
                case MatchStatus.Ok:
                    CliCall call = new CliCall();
                    call.Words = m.Words;
                    call.ArgStart = m.Consumed;
                    call.NowMs = nowMs;
                    call.Out = _out;
                    call.Session = this;
                    m.Node.Handler.Execute(call);
                    return;
                case MatchStatus.Ambiguous:
                    _out.Line("% ambiguous: '" + words[m.ErrorIndex] + "' could be " + Candidates(m.Node, words[m.ErrorIndex]));
                    return;
                case MatchStatus.Incomplete:
                    _out.Line("% incomplete command: '" + CliWords.Join(m.Words, 0, m.Consumed) + "' needs one of " + Candidates(m.Node, ""));
                    return;
                case MatchStatus.Unknown:
                    _out.Line(m.Consumed == 0
                        ? "% unknown command: '" + words[0] + "' (type '?')"
                        : "% syntax error at '" + words[m.ErrorIndex] + "': '" + CliWords.Join(m.Words, 0, m.Consumed) + "' takes " +
                          (m.Node.ChildCount > 0 ? Candidates(m.Node, "") : "no arguments"));
                    return;
            }
        }

        private static string Candidates(CliCommand node, string prefix)
        {
            string s = "";
            for (int i = 0; i < node.ChildCount; i++)
            {
                if (node.Child(i).Keyword.StartsWith(prefix))
                {
                    s = s.Length == 0 ? node.Child(i).Keyword : s + ", " + node.Child(i).Keyword;
                }
            }

            return s;
        }

        // ---- help and completion ------------------------------------------------------------------------------

        private void ShowHelp(string line)
        {
            string[] entries = Possible(line);
            if (entries.Length == 0)
            {
                _out.Line("% no completions");
                return;
            }

            _out.Line("Possible completions:");
            for (int i = 0; i < entries.Length; i++)
            {
                string e = entries[i];
                int tab = e.IndexOf('\t');
                string word = tab < 0 ? e : e.Substring(0, tab);
                string help = tab < 0 ? "" : e.Substring(tab + 1);
                _out.Line("  " + (word.Length >= 22 ? word + " " : word.PadRight(22)) + help);
            }
        }

        // Entries "word\thelp" for what may come at the end of `line`.
        private string[] Possible(string line)
        {
            string[] words = CliWords.Split(line);
            bool fresh = line.Length == 0 || CliWords.EndsWithSpace(line);
            int complete = fresh ? words.Length : words.Length - 1;
            string partial = fresh ? null : words[words.Length - 1];
            CommandTree tree = _configMode ? _configuration : _operational;
            CliCommand node = tree.Root;
            int k = 0;
            while (k < complete)
            {
                int matches;
                CliCommand next = node.Match(words[k], out matches);
                if (next == null)
                {
                    break;
                }

                words[k] = next.Keyword;
                node = next;
                k++;
            }

            ArrayList list = new ArrayList();
            if (k < complete && (node.Handler == null || node.ArgumentsHelp == null))
            {
                return new string[0]; // an unknown word before the end
            }

            if (k == complete)
            {
                for (int i = 0; i < node.ChildCount; i++)
                {
                    CliCommand c = node.Child(i);
                    if (partial == null || c.Keyword.StartsWith(partial))
                    {
                        list.Add(c.Keyword + "\t" + c.Help);
                    }
                }
            }

            if (node.Handler != null && node.ArgumentsHelp != null)
            {
                ICliCompleter completer = node.Handler as ICliCompleter;
                if (completer != null)
                {
                    string[] more = completer.Next(words, k, complete - k, partial);
                    for (int i = 0; i < more.Length; i++)
                    {
                        list.Add(more[i]);
                    }
                }
                else if (partial == null && node.ArgumentsHelp.Length > 0)
                {
                    list.Add(node.ArgumentsHelp + "\t");
                }
            }

            if (partial == null && node.Handler != null && k == complete)
            {
                list.Add("<cr>\t");
            }

            string[] r = new string[list.Count];
            list.CopyTo(r);
            return r;
        }

        private void Complete(long nowMs)
        {
            string line = _editor.Text;
            if (line.Length == 0 || CliWords.EndsWithSpace(line))
            {
                _out.Write("\n");
                ShowHelp(line);
                _editor.Redraw();
                return;
            }

            string[] entries = Possible(line);
            ArrayList words = new ArrayList();
            for (int i = 0; i < entries.Length; i++)
            {
                int tab = entries[i].IndexOf('\t');
                string w = tab < 0 ? entries[i] : entries[i].Substring(0, tab);
                if (w.Length > 0 && w[0] != '<' && !words.Contains(w))
                {
                    words.Add(w);
                }
            }

            string[] typed = CliWords.Split(line);
            string partial = typed[typed.Length - 1];
            if (words.Count == 1)
            {
                _editor.Append(((string)words[0]).Substring(partial.Length) + " ");
                return;
            }

            if (words.Count == 0)
            {
                _out.Write("\x07");
                return;
            }

            string common = (string)words[0];
            for (int i = 1; i < words.Count; i++)
            {
                string w = (string)words[i];
                int n = 0;
                while (n < common.Length && n < w.Length && common[n] == w[n])
                {
                    n++;
                }

                common = common.Substring(0, n);
            }

            if (common.Length > partial.Length)
            {
                _editor.Append(common.Substring(partial.Length));
                return;
            }

            _out.Write("\n");
            ShowHelp(line);
            _editor.Redraw();
        }

        // ---- login --------------------------------------------------------------------------------------------

        private void CheckLogin(string password, long nowMs)
        {
            _editor.Echo = true;
            _guard.Expire(nowMs);
            if (_guard.Blocked(nowMs))
            {
                _out.Line(_guard.LockedOut
                    ? "% console locked after " + LoginGuard.LockoutFailures.ToString() + " failed logins; try again in " + ((_guard.BlockedUntil - nowMs + 999) / 1000).ToString() + " s"
                    : "% too fast; try again in " + ((_guard.BlockedUntil - nowMs + 999) / 1000).ToString() + " s");
                _state = StateUser;
                PromptForState();
                return;
            }

            bool ok = _typedUser == _settings.UserName && PasswordMatches(password);
            if (!ok)
            {
                _guard.Failed(nowMs);
                _out.Line("Login incorrect");
                _state = StateUser;
                PromptForState();
                return;
            }

            _guard.Succeeded();
            if (_password == null)
            {
                _out.Line("The factory password must be changed before the first use.");
                _state = StateNewPassword;
                PromptForState();
                return;
            }

            _state = StateShell;
            Prompt();
        }

        private bool PasswordMatches(string password)
        {
            if (_password == null)
            {
                return password == PasswordHash.FactoryPassword;
            }

            return _hmac != null && _password.Verify(password, _hmac);
        }

        private void SetPassword(string password)
        {
            PasswordHash h = _hmac == null ? null : PasswordHash.Create(password, _settings.PasswordIterations, _hmac, _entropy);
            if (h == null)
            {
                _out.Line("% cannot hash the password (no HMAC or entropy source); the factory password stays");
                return;
            }

            _password = h;
            _stored.PasswordHash = h.Format();
            if (_store != null)
            {
                // The password is saved with the last saved configuration, not the running one.
                StoreResult r = _stored.Save(_store);
                _out.Line(r == StoreResult.Ok ? "Password changed and saved." : "% password changed but not saved: " + StoreResultText(r));
            }
            else
            {
                _out.Line("Password changed (no store: it lasts until reload).");
            }
        }

        private void Logout(long nowMs)
        {
            _configMode = false;
            if (_settings.LoginRequired)
            {
                Start(nowMs);
            }
            else
            {
                Prompt();
            }
        }

        /// <summary>Ends the session (operational <c>exit</c>).</summary>
        public void EndSession(long nowMs)
        {
            _out.Line("logged out");
            _configMode = false;
            if (_settings.LoginRequired)
            {
                _state = StateUser;
                Start(nowMs);
            }
        }

        // ---- services for the commands ------------------------------------------------------------------------

        /// <summary>Asks a yes/no question; <paramref name="onYes"/> runs with <paramref name="call"/> on "yes".</summary>
        public void AskConfirmation(string question, ICliHandler onYes, CliCall call)
        {
            _pending = onYes;
            _pendingCall = call;
            _state = StateConfirm;
            _editor.Prompt = question + " [yes/no] ";
            _out.Write(_editor.Prompt);
        }

        /// <summary>Asks for the password again (echo off); <paramref name="onSuccess"/> runs when it matches.</summary>
        public void AskPassword(ICliHandler onSuccess, CliCall call)
        {
            _pending = onSuccess;
            _pendingCall = call;
            _state = StateReauth;
            _editor.Echo = false;
            _editor.Prompt = "Password: ";
            _out.Write(_editor.Prompt);
        }

        /// <summary>Holds the prompt until the command ends.</summary>
        public void SetBackground(ICliBackground command)
        {
            _background = command;
        }

        /// <summary>Enters configuration mode (the candidate starts as the running configuration unless it has changes).</summary>
        public void EnterConfiguration()
        {
            if (!_candidate.Changed)
            {
                _candidate.Load(_host.Running.StorageText);
            }

            _configMode = true;
        }

        /// <summary>Leaves configuration mode.</summary>
        public void LeaveConfiguration()
        {
            _configMode = false;
        }

        /// <summary>
        /// Commits the candidate: parse and validate it as the replacement of the running configuration, run the
        /// commit checks (board limits, reachability, identities), and only then make it the running one. Prints
        /// every error and warning; a refused commit changes nothing. With <paramref name="confirmMinutes"/> &gt; 0
        /// the previous configuration comes back unless confirmed in time.
        /// </summary>
        public bool Commit(long nowMs, int confirmMinutes)
        {
            string previous = _host.Running.StorageText;
            string text = _candidate.Text;
            ParseResult checkedText = ConfigText.Parse(text, _host.Running.Model.Registry, _host.Running.Model);
            DiagnosticList extra = new DiagnosticList();
            if (checkedText.Ok)
            {
                VpnAppliance.Config.Validation.CommitValidation.Check(checkedText.Model, _settings.Limits, extra);
            }

            ConfigDiagnostic[] errors = checkedText.Ok ? extra.Errors() : checkedText.Errors;
            if (errors.Length > 0)
            {
                PrintDiagnostics(errors, "error", _candidate);
                _out.Line("% commit failed: " + errors.Length.ToString() + " error(s); nothing changed");
                return false;
            }

            ParseResult applied = _host.Apply(text, nowMs);
            if (!applied.Ok)
            {
                PrintDiagnostics(applied.Errors, "error");
                _out.Line("% commit failed; nothing changed");
                return false;
            }

            PrintDiagnostics(applied.Warnings, "warning");
            PrintDiagnostics(extra.Warnings(), "warning");
            _candidate.Load(_host.Running.StorageText);
            if (_host.Running.StorageText != previous)
            {
                _commits.Push(_host.Running.StorageText, nowMs);
            }

            if (confirmMinutes > 0)
            {
                if (_confirmDeadline == Never)
                {
                    _confirmRollbackText = previous;
                }

                _confirmDeadline = nowMs + (long)confirmMinutes * 60000;
                _out.Line("commit complete; it is rolled back in " + confirmMinutes.ToString() + " minute(s) unless confirmed with 'commit'");
            }
            else
            {
                if (_confirmDeadline != Never)
                {
                    _out.Line("commit confirmed");
                }

                _confirmDeadline = Never;
                _confirmRollbackText = null;
                _out.Line("commit complete");
            }

            return true;
        }

        private void ConfirmTimedOut(long nowMs)
        {
            _confirmDeadline = Never;
            string text = _confirmRollbackText;
            _confirmRollbackText = null;
            ParseResult r = _host.Apply(text, nowMs);
            _out.Write("\n");
            if (r.Ok)
            {
                _commits.Push(_host.Running.StorageText, nowMs);
                if (!_candidate.Changed)
                {
                    _candidate.Load(_host.Running.StorageText);
                }

                _out.Line("% commit confirm timed out: the previous configuration was restored");
            }
            else
            {
                _out.Line("% commit confirm timed out but the previous configuration no longer applies; the new one stays");
            }

            if (_state == StateShell)
            {
                Prompt();
                _out.Write(_editor.Text);
            }
        }

        /// <summary>Saves the running configuration (and the password hash) in the store.</summary>
        public StoreResult Save()
        {
            if (_store == null)
            {
                return StoreResult.FlashError;
            }

            StoredState s = new StoredState();
            s.PasswordHash = _stored.PasswordHash;
            s.ConfigText = _host.Running.StorageText;
            StoreResult r = s.Save(_store);
            if (r == StoreResult.Ok)
            {
                s.Loaded = true;
                _stored = s;
            }

            return r;
        }

        /// <summary>Erases the store (configuration and password): the next boot is a factory boot.</summary>
        public StoreResult EraseStore()
        {
            return _store == null ? StoreResult.FlashError : _store.EraseAll();
        }

        /// <summary>A readable store result.</summary>
        public static string StoreResultText(StoreResult r)
        {
            switch (r)
            {
                case StoreResult.Ok: return "ok";
                case StoreResult.Empty: return "nothing saved";
                case StoreResult.TooLarge: return "the configuration is larger than a flash slot";
                case StoreResult.VerifyFailed: return "the flash reads back different (failing flash?)";
                default: return "flash error (no store, or the write failed); the previous saved configuration is kept";
            }
        }

        /// <summary>Prints diagnostics as "error: line N: ..." lines.</summary>
        public void PrintDiagnostics(ConfigDiagnostic[] list, string kind)
        {
            PrintDiagnostics(list, kind, null);
        }

        /// <summary>Prints diagnostics, each followed by the candidate statement it names (secrets masked).</summary>
        public void PrintDiagnostics(ConfigDiagnostic[] list, string kind, CandidateConfig statements)
        {
            for (int i = 0; i < list.Length; i++)
            {
                _out.Line(kind + ": " + list[i].ToString());
                int line = list[i].Line;
                if (statements != null && line >= 1 && line <= statements.Count)
                {
                    _out.Line("    at: " + MaskSecret(statements.Line(line - 1)));
                }
            }
        }

        /// <summary>A statement with the value after "psk" replaced by ******.</summary>
        public static string MaskSecret(string statement)
        {
            int at = statement.IndexOf(" psk ");
            return at < 0 ? statement : statement.Substring(0, at) + " psk ******";
        }

        // ---- prompts ------------------------------------------------------------------------------------------

        private string HostName()
        {
            string h = _host.HostName;
            return h == null || h.Length == 0 ? "vpn" : h;
        }

        private void PromptForState()
        {
            switch (_state)
            {
                case StateUser:
                    _editor.Echo = true;
                    _editor.Prompt = HostName() + " login: ";
                    break;
                case StatePassword:
                    _editor.Echo = false;
                    _editor.Prompt = "Password: ";
                    break;
                case StateNewPassword:
                    _editor.Echo = false;
                    _editor.Prompt = "New password: ";
                    break;
                case StateRepeatPassword:
                    _editor.Echo = false;
                    _editor.Prompt = "Retype new password: ";
                    break;
                default:
                    Prompt();
                    return;
            }

            _out.Write(_editor.Prompt);
        }

        /// <summary>Prints the shell prompt ("user@host&gt; " operational, "user@host# " configuration).</summary>
        public void Prompt()
        {
            _editor.Echo = true;
            _editor.Prompt = _settings.UserName + "@" + HostName() + (_configMode ? "# " : "> ");
            _out.Write(_editor.Prompt);
        }
    }
}
