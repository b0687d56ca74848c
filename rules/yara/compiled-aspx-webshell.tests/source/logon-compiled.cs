// The shape of a stock page compiled by ASP.NET (OWA's ~/auth/ logon page): reads request values,
// never evaluates them. The near miss for the compiled-web-shell rule.
namespace ASP {
  public class auth_logon_aspx : System.Web.UI.Page {
    public auth_logon_aspx() { AppRelativeVirtualPath = "~/auth/logon.aspx"; }
    public string __Render() { string url = Request["url"]; string reason = Request["reason"]; return "<form action=\"/owa/auth.owa\" method=\"POST\">" + url + reason + "</form>"; }
  }
}
