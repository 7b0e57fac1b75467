// `overcast admin`: manage accounts and access keys, either directly in a stopped server's
// data directory or through a running server's admin API (found through the data directory,
// or named with --endpoint).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace overcast::admin {

struct AdminCliOptions {
  std::string dataDir = "./data";
  std::string endpoint;  // set: talk to this server instead of opening the data directory
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string command;   // the chosen subcommand's name
  std::string accountId;
  std::string targetAccessKeyId;
  bool admin = false;
  // quota set / list / ceiling (--account is accountId)
  std::string quotaRegion;
  std::string quotaService = "ec2";
  std::string quotaCode;
  double quotaValue = 0;
  // image import
  std::string imageId;
  std::string imageName;
  std::string imageDescription;
  std::string imageArchitecture;
  std::string imageRegion;
};

void addAdminCommands(CLI::App& admin, AdminCliOptions& options);
int runAdminCommand(const AdminCliOptions& options);

}  // namespace overcast::admin
