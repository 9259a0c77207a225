using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.OpenApi.Models;

namespace ResolutionGateway.Hosting;

/// <summary>
/// The HTTP/JSON face of the gRPC services: JSON transcoding from the protos' google.api.http
/// annotations (same interceptor, keys, scopes, idempotency and errors as gRPC), the OpenAPI
/// document generated from the same protos at /openapi.json, and the web console at /console/.
/// Kestrel:Endpoints:Http:Url (HTTP/1.1 and HTTP/2, appsettings.json) is where browsers and
/// curl reach it; the gRPC listener answers the same routes too, over HTTP/2 only.
/// </summary>
public static class HttpApi
{
    /// <summary>Swagger document name; Swashbuckle serves "{documentName}.json", hence /openapi.json.</summary>
    public const string DocumentName = "openapi";

    /// <summary>Adds transcoding to an AddGrpc() builder and the OpenAPI generator.</summary>
    public static IGrpcServerBuilder AddHttpApi(this IGrpcServerBuilder grpc)
    {
        // Error details are google.protobuf.Any; the JSON writer resolves them by name from this
        // registry (BadRequest, ErrorInfo, RetryInfo... all of google/rpc/error_details.proto).
        // The JSON is the proto3 JSON mapping the rest of the contract uses (webhook bodies, rgctl --json):
        // 64-bit integers as strings, fields at their default value left out.
        grpc.AddJsonTranscoding(o =>
        {
            o.TypeRegistry = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);
            o.JsonSettings.WriteInt64sAsStrings = true;
            o.JsonSettings.IgnoreDefaultValues = true;
        });
        var services = grpc.Services;
        services.AddGrpcSwagger();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "ResolutionGateway",
                Version = "v1",
                Description = "One-click resolution of consumer disputes: the gRPC API (protos/resolution/v1) over HTTP/JSON. "
                    + "Send 'Authorization: Bearer <api key>'. Errors are google.rpc.Status JSON with their details.",
                License = new OpenApiLicense { Name = "Proprietary" },
            });
            // Relative: the document describes the listener it is fetched from.
            o.AddServer(new OpenApiServer { Url = "/", Description = "this gateway's HTTP listener" });
            // Operation ids name the RPC ("DisputeService_OpenDispute"), so generated clients read like the proto.
            o.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<GrpcMethodMetadata>()
                .Select(m => $"{m.Method.ServiceName.Split('.')[^1]}_{m.Method.Name}").FirstOrDefault());
            // The proto comments, carried into the generated code's XML documentation.
            var xml = Path.Combine(AppContext.BaseDirectory, "ResolutionGateway.Contracts.xml");
            if (File.Exists(xml))
            {
                o.IncludeXmlComments(xml);
                o.IncludeGrpcXmlComments(xml, includeControllerXmlComments: true);
            }
            var bearer = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (rgctl keys create).",
                Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" },
            };
            o.AddSecurityDefinition("bearer", bearer);
            o.AddSecurityRequirement(new OpenApiSecurityRequirement { [bearer] = [] });
        });
        return grpc;
    }

    /// <summary>Serves /openapi.json and the console's static files under /console/.</summary>
    public static WebApplication MapHttpApi(this WebApplication app)
    {
        app.UseSwagger(o =>
        {
            o.RouteTemplate = "{documentName}.json";
            // OpenAPI 3.0 (what every validator and generator reads).
            o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0;
        });
        // wwwroot/console (copied beside the binary): index.html for /console/ (and /console redirected
        // there), then its files. Static files answer only where no endpoint (gRPC, JSON API) matched.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}
