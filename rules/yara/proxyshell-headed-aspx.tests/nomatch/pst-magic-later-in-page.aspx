<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it.
<%@ Page Language="C#" %>
<p>Files exported from Outlook start with !BDN.</p>
--%>
