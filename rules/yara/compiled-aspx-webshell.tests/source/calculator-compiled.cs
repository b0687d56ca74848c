// A compiled page that does use JScript's evaluator, on a constant and in the default (safe) mode:
// the rule needs the "unsafe" option a web shell asks for, not the evaluator alone.
namespace ASP {
  public class tools_sum_aspx : System.Web.UI.Page {
    public tools_sum_aspx() { AppRelativeVirtualPath = "~/tools/sum.aspx"; }
    public object __Render() { return Microsoft.JScript.Eval.JScriptEvaluate("1 + 2", null, null); }
  }
}
