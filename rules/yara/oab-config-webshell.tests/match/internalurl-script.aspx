<%-- exir test sample: inert text in the shape of a web shell, written for rule tests. The server-side comment around it keeps ASP.NET from running any of it. --%>

RunspaceId                      : 0d5f2c63-64a8-4a3c-9d0b-7a1e2b3c4d5e
PollInterval                    : 480
OfflineAddressBooks             : {}
RequireSSL                      : True
BasicAuthentication             : False
WindowsAuthentication           : True
OAuthAuthentication             : True
MetabasePath                    : IIS://EX01.contoso.local/W3SVC/1/ROOT/OAB
Path                            : C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\OAB
ExtendedProtectionTokenChecking : None
ExtendedProtectionFlags         : {}
ExtendedProtectionSPNList       : {}
AdminDisplayVersion             : Version 15.1 (Build 2176.2)
Server                          : EX01
InternalUrl                     : http://g/<script language="JScript" runat="server">function Page_Load(){/* exir inert sample */}</script>
InternalAuthenticationMethods   : {WindowsIntegrated}
ExternalUrl                     : https://mail.contoso.com/OAB
ExternalAuthenticationMethods   : {WindowsIntegrated}
Name                            : OAB (Default Web Site)
