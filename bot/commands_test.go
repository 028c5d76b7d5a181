package bot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/tgserver"
)

// The people of the command-table tests, one per kind.
func roles() map[string]who {
	off := &domain.Officer{Role: domain.RoleOfficer, AgencyKey: "so-y-te"}
	lead := &domain.Officer{Role: domain.RoleLeader}
	return map[string]who{
		"unlinked":      {ID: 9, Lang: i18n.VI},
		"officer":       {ID: 1, Lang: i18n.VI, Officer: off},
		"leader":        {ID: 2, Lang: i18n.VI, Officer: lead},
		"admin":         {ID: 3, Lang: i18n.VI, Admin: true},
		"admin+officer": {ID: 4, Lang: i18n.VI, Admin: true, Officer: off},
		"officer (en)":  {ID: 5, Lang: i18n.EN, Officer: off},
	}
}

// Every entry of the table routes by its name and its aliases, and no
// name is taken twice.
func TestEveryCommandRoutes(t *testing.T) {
	seen := map[string]string{}
	for _, c := range commands() {
		for _, name := range append([]string{c.Name}, c.Aliases...) {
			if prev, dup := seen[name]; dup {
				t.Errorf("/%s names both %s and %s", name, prev, c.Name)
			}
			seen[name] = c.Name
			got, ok := lookup(name)
			if !ok || got.Name != c.Name || got.Run == nil {
				t.Errorf("/%s does not route to %s", name, c.Name)
			}
		}
	}
	if _, ok := lookup("frobnicate"); ok {
		t.Error("an unknown command routes")
	}
	if len(seen) < 20 {
		t.Errorf("only %d names routed", len(seen))
	}
}

// Each role's menu shows exactly the table's entries for it, and only
// commands it may use.
func TestMenusFollowTheTable(t *testing.T) {
	want := map[string]string{
		"unlinked":      "start,whoami,help",
		"officer":       "tasks,targets,task,pause,resume,cancel,whoami,help",
		"leader":        "summary,overdue,duesoon,chart,export,report,targets,agencies,task,whoami,help",
		"admin":         "invite,invites,officers,revoke,summary,overdue,duesoon,chart,export,report,targets,agencies,addagency,renameagency,alias,deactivate,importplan,importcommunes,review,setdue,edittask,template,task,whoami,help",
		"admin+officer": "tasks,invite,invites,officers,revoke,summary,overdue,duesoon,chart,export,report,targets,agencies,addagency,renameagency,alias,deactivate,importplan,importcommunes,review,setdue,edittask,template,task,pause,resume,cancel,whoami,help",
	}
	r := roles()
	for role, w := range want {
		menu := menuFor(r[role])
		if got := strings.Join(menu, ","); got != w {
			t.Errorf("%s menu = %s, want %s", role, got, w)
		}
		for _, name := range menu {
			c, _ := lookup(name)
			if c.Who&r[role].audience() == 0 {
				t.Errorf("%s's menu shows /%s, which they may not use", role, name)
			}
		}
	}
}

// Every role's /help lists every command that role may use (an admin's the
// leaders' commands too, and says so) and none it may not.
func TestHelpListsEverythingARoleCanDo(t *testing.T) {
	for role, w := range roles() {
		help := helpText(w)
		if role == "unlinked" {
			if !strings.Contains(help, "chưa được liên kết") {
				t.Errorf("unlinked help: %q", help)
			}
			continue
		}
		for _, c := range commands() {
			line := w.t(helpPrefix + c.Name)
			may := c.Who&w.audience() != 0
			if c.Name == "start" {
				continue // linked people have no use for it
			}
			if may && !strings.Contains(help, line) {
				t.Errorf("%s's help misses /%s (%q)", role, c.Name, line)
			}
			if !may && strings.Contains(help, "/"+c.Name+" ") {
				t.Errorf("%s's help lists /%s, which they may not use", role, c.Name)
			}
		}
		if told := strings.Contains(help, w.t("help.admin_leads")); told != w.Admin {
			t.Errorf("%s's help tells about admins using leaders' commands: %v", role, told)
		}
	}
	if h := helpText(roles()["officer (en)"]); !strings.Contains(h, "Focal officer") || !strings.Contains(h, "/pause &lt;days&gt;") {
		t.Errorf("English officer help: %q", h)
	}
}

// verbConstants reads the Verb* constants declared in file: the verbs the
// code puts on buttons.
func verbConstants(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Verb") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
					v, _ := strconv.Unquote(lit.Value)
					out[n.Name] = v
				}
			}
		}
	}
	return out
}

// Every button verb is in the table once, every verb the bot and the
// reminders put on buttons (the Verb* constants of domain/outgoing.go and
// routes.go) routes to a handler, and the table has no verb nobody uses.
// Pressing each one — with data no button carries — is answered, by an
// officer and by an admin, and nothing panics.
func TestEveryVerbRoutes(t *testing.T) {
	consts := verbConstants(t, "../domain/outgoing.go")
	for n, v := range verbConstants(t, "routes.go") {
		if _, dup := consts[n]; dup {
			t.Errorf("%s is declared in domain and in the bot", n)
		}
		consts[n] = v
	}
	if len(consts) < 15 {
		t.Fatalf("only %d verb constants found: %v", len(consts), consts)
	}
	byValue := map[string]string{}
	for n, v := range consts {
		if prev, dup := byValue[v]; dup {
			t.Errorf("%s and %s are both %q", prev, n, v)
		}
		byValue[v] = n
		e, ok := verbOf(v)
		if !ok || e.Run == nil || e.Help == "" {
			t.Errorf("%s (%q) does not route (or has no help)", n, v)
		}
		if e.Who&^Linked != 0 || e.Who == 0 || (e.Who != Linked && !has(e.Refusal)) {
			t.Errorf("%s: audience %b, refusal %q", n, e.Who, e.Refusal)
		}
	}
	seen := map[string]bool{}
	for _, e := range verbs() {
		if seen[e.Verb] {
			t.Errorf("verb %q is in the table twice", e.Verb)
		}
		seen[e.Verb] = true
		if _, ok := byValue[e.Verb]; !ok {
			t.Errorf("the table routes %q, which no constant names", e.Verb)
		}
	}
	if _, ok := verbOf("nosuchverb"); ok {
		t.Error("an unknown verb routes")
	}

	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	list := h.say(officer, "/tasks")
	for _, u := range []tgserver.User{officer, admin} {
		for _, e := range verbs() {
			ans, _ := h.press(u, list[len(list)-1].MessageID, domain.Callback{Verb: e.Verb, Ref: "nosuchref", Arg: "9"}.Encode())
			if e.Who&Linked != Linked && u == officer && !ans.ShowAlert {
				t.Errorf("an officer pressing %q (for %b) was not refused: %+v", e.Verb, e.Who, ans)
			}
		}
	}
}
